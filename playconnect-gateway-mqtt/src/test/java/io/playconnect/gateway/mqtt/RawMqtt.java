package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw MQTT client for tests that must send exactly the bytes they choose: valid packets are
 * encoded with Netty's codec, broken ones are written byte by byte, and whatever the server sends
 * is decoded with Netty's codec on a reader thread.
 */
final class RawMqtt implements AutoCloseable {
    private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final Socket socket;
    private final OutputStream out;
    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));
    private final BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private RawMqtt(Socket socket, MqttVersion version) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        encoder.attr(VERSION).set(version);
        decoder.attr(VERSION).set(version);
        Thread reader = new Thread(this::read, "raw-mqtt-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static RawMqtt open(int port, MqttVersion version) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            return new RawMqtt(s, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a connection and completes the CONNECT with this token (asserting CONNACK success). */
    static RawMqtt connected(int port, MqttVersion version, String clientId, String token) {
        RawMqtt raw = open(port, version);
        raw.send(connect(version, clientId, token, 60));
        MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
        assertThat(ack.variableHeader().connectReturnCode().byteValue()).as("CONNACK code").isEqualTo((byte) 0);
        return raw;
    }

    static MqttConnectMessage connect(MqttVersion version, String clientId, String token, int keepAlive) {
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect().protocolVersion(version)
                .clientId(clientId).cleanSession(true).keepAlive(keepAlive);
        if (token != null) {
            b.hasUser(true).username("raw").hasPassword(true).password(token.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    static MqttMessage publish(String topic, int qos, int packetId, String payload) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).messageId(packetId)
                .retained(false).payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
                .properties(MqttProperties.NO_PROPERTIES).build();
    }

    static MqttMessage subscribe(int packetId, String filter, int qos) {
        return MqttMessageBuilders.subscribe().messageId(packetId).addSubscription(MqttQoS.valueOf(qos), filter).build();
    }

    void send(MqttMessage m) {
        encoder.writeOutbound(m);
        ByteBuf buf;
        while ((buf = encoder.readOutbound()) != null) {
            try {
                sendBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
    }

    /** The bytes of a packet as the codec encodes it, to be broken by the test. */
    byte[] encode(MqttMessage m) {
        encoder.writeOutbound(m);
        ByteBuf buf = encoder.readOutbound();
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    void sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next packet, or null after {@code timeout}. */
    MqttMessage next(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    MqttMessage expect(MqttMessageType type) {
        MqttMessage m = next(Duration.ofSeconds(10));
        assertThat(m).as("expected " + type).isNotNull();
        assertThat(m.fixedHeader().messageType()).as("packet type").isEqualTo(type);
        return m;
    }

    /** Whether the server closed the connection within {@code timeout}. */
    boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void read() {
        byte[] buf = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (decoder) {
                    decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
                    Object m;
                    while ((m = decoder.readInbound()) != null) {
                        received.add((MqttMessage) m);
                    }
                }
            }
        } catch (IOException e) {
            // A reset is a close too.
        } finally {
            closed.countDown();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        encoder.finishAndReleaseAll();
    }
}
