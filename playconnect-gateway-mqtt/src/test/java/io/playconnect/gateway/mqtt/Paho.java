package io.playconnect.gateway.mqtt;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Eclipse Paho clients (MQTT 3.1.1 and 5) connected to a test server, and a message collector. */
final class Paho {
    private Paho() {
    }

    /** A message as a test sees it. */
    record Received(String topic, String payload, int qos) {
    }

    /** Collects what a client receives. */
    static final class Inbox {
        final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

        void add(String topic, byte[] payload, int qos) {
            messages.add(new Received(topic, new String(payload, StandardCharsets.UTF_8), qos));
        }

        Received next(Duration timeout) {
            try {
                return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Received next() {
            Received r = next(Duration.ofSeconds(10));
            if (r == null) {
                throw new AssertionError("no message within 10 s");
            }
            return r;
        }
    }

    static MqttConnectOptions v3Options(String token) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        if (token != null) {
            o.setUserName("paho");
            o.setPassword(token.toCharArray());
        }
        return o;
    }

    static MqttClient v3(String serverUri, String clientId, String token, Inbox inbox)
            throws org.eclipse.paho.client.mqttv3.MqttException {
        MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        if (inbox != null) {
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    inbox.add(topic, message.getPayload(), message.getQos());
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
        }
        client.connect(v3Options(token));
        return client;
    }

    static MqttConnectionOptions v5Options(String token) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        if (token != null) {
            o.setUserName("paho");
            o.setPassword(token.getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    static org.eclipse.paho.mqttv5.client.MqttClient v5(String serverUri, String clientId, String token, Inbox inbox)
            throws MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(serverUri,
                clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.setTimeToWait(10_000);
        if (inbox != null) {
            client.setCallback(new V5Callback(inbox));
        }
        client.connect(v5Options(token));
        return client;
    }

    /** Collects messages; records the server's DISCONNECT reason. */
    static final class V5Callback implements org.eclipse.paho.mqttv5.client.MqttCallback {
        final Inbox inbox;
        volatile Integer disconnectReason;

        V5Callback(Inbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            disconnectReason = response.getReturnCode();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            inbox.add(topic, message.getPayload(), message.getQos());
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
        }
    }

    static void closeQuietly(Object c) {
        try {
            if (c instanceof MqttClient v3) {
                if (v3.isConnected()) {
                    v3.disconnect(2000);
                }
                v3.close();
            } else if (c instanceof org.eclipse.paho.mqttv5.client.MqttClient v5) {
                if (v5.isConnected()) {
                    v5.disconnect(2000);
                }
                v5.close();
            }
        } catch (Exception e) {
            // best effort in tests
        }
    }
}
