package io.playconnect.server.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An MQTT 5 device (Paho) with a persistent session: clean start off, a session expiry of five minutes. */
final class MqttDevice implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    /** A message as it arrived; {@code dup} is the DUP flag of a QoS 1/2 redelivery. */
    record Received(String topic, JsonNode payload, boolean dup) {
    }

    private MqttDevice(MqttClient client) {
        this.client = client;
    }

    /** Connects to {@code mqtt://host:port}, asserting whether the server had the session. */
    static MqttDevice connect(URI uri, String clientId, String token, boolean sessionPresent) throws MqttException {
        MqttClient client = new MqttClient("tcp://" + uri.getHost() + ":" + uri.getPort(), clientId,
                new MemoryPersistence());
        MqttDevice device = new MqttDevice(client);
        client.setCallback(device.callback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(300L);
        o.setAutomaticReconnect(false);
        o.setUserName("device");
        o.setPassword(token.getBytes(StandardCharsets.UTF_8));
        IMqttToken connected = client.connectWithResult(o);
        assertThat(connected.getSessionPresent()).as("session present").isEqualTo(sessionPresent);
        return device;
    }

    Received next() throws InterruptedException {
        Received r = received.poll(20, TimeUnit.SECONDS);
        assertThat(r).as("an MQTT message within 20 s").isNotNull();
        return r;
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                received.add(new Received(topic, JSON.readTree(message.getPayload()), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    /** A normal DISCONNECT: the session stays for its expiry. */
    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(5000);
        }
        client.close();
    }
}
