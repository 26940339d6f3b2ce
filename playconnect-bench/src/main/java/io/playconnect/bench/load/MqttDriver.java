package io.playconnect.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * MQTT 3.1.1 over TCP with Netty's MQTT codec, on a few shared I/O threads, so that tens of
 * thousands of clients fit in one process. Works against PlayConnect's MQTT gateway (the JWT as
 * password; room {@code chat.x} is the topic {@code chat/x/message}, docs/protocol-mqtt.md) and
 * against any MQTT broker (anonymous; the same topic strings are plain topics there).
 *
 * <p>A client connects with clean session 1 and keep-alive 0 (no pings during a run), subscribes
 * to each of its rooms' topics at {@link Config#subscribeQos()} in one SUBSCRIBE, and is ready on
 * the SUBACK. Publishes go out at {@link Config#publishQos()}: QoS 1 completes on the PUBACK, QoS 0
 * once written. A delivered message's position is the envelope's {@code seq} where the payload is
 * PlayConnect's envelope, else the publisher's number {@code n} inside the payload.
 */
public final class MqttDriver implements ProtocolDriver {
    /** Largest packet a client accepts: a PlayConnect envelope of a 64 KiB payload, with room to spare. */
    static final int MAX_PACKET = 128 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 15_000;

    private final Config config;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    /** Makes client ids unique across workloads, so no client takes over another's session. */
    private final AtomicLong clientIds = new AtomicLong();

    /**
     * What differs between servers: the password (PlayConnect's JWT, or none), the QoS of
     * subscriptions and publishes, and whether a client with no rooms (a publisher) listens to
     * PlayConnect's error topic, where refused commands of MQTT 3.1.1 clients are reported.
     *
     * @param passwords the password of each client, or null for anonymous clients
     */
    public record Config(String host, int port, Function<ClientSpec, String> passwords, int subscribeQos,
                         int publishQos, boolean errorTopic, String name, boolean resumes) {
        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(name, "name");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 1..65535: " + port);
            }
            if (subscribeQos < 0 || subscribeQos > 1) {
                throw new IllegalArgumentException("subscribeQos must be 0 or 1: " + subscribeQos);
            }
            if (publishQos < 0 || publishQos > 1) {
                throw new IllegalArgumentException("publishQos must be 0 or 1: " + publishQos);
            }
        }

        MqttQoS subscribe() {
            return MqttQoS.valueOf(subscribeQos);
        }

        MqttQoS publish() {
            return MqttQoS.valueOf(publishQos);
        }
    }

    public MqttDriver(Config config, int ioThreads) {
        this.config = Objects.requireNonNull(config, "config");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        }
        group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("load-mqtt", true),
                NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean resumes() {
        return config.resumes();
    }

    Config config() {
        return config;
    }

    @Override
    public CompletableFuture<ClientConnection> connect(ClientSpec spec, ClientListener listener) {
        String clientId = "lg-" + spec.user() + "-" + clientIds.incrementAndGet();
        String password = config.passwords() == null ? null : config.passwords().apply(spec);
        MqttClientConnection conn = new MqttClientConnection(spec, listener, config, clientId, password);
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new MqttDecoder(MAX_PACKET), MqttEncoder.INSTANCE, conn);
            }
        }).connect(new InetSocketAddress(config.host(), config.port()), new InetSocketAddress(spec.localAddress(), 0));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                conn.failed(done.cause());
            }
        });
        return conn.ready();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The topic of a room's messages: {@code chat.lobby} is {@code chat/lobby/message}. */
    static String topic(String room) {
        int dot = room.indexOf('.');
        if (dot <= 0 || dot == room.length() - 1) {
            throw new IllegalArgumentException("room must be <kind>.<id>: '" + room + "'");
        }
        return room.substring(0, dot) + "/" + room.substring(dot + 1) + "/message";
    }

    private static final byte[] ENVELOPE_HEAD = "{\"v\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "\"payload\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * The position and send time in a delivered payload: {@code [seq, sentNanos]}. PlayConnect's
     * envelope gives the room's seq, and the send time inside its {@code payload}; a plain
     * payload gives the publisher's number. -1 where a value is missing.
     */
    static long[] positionAndSent(ByteBuf buf) {
        int from = buf.readerIndex();
        int to = buf.writerIndex();
        if (Bytes.regionEquals(buf, from, to, ENVELOPE_HEAD)) {
            int seqAt = Bytes.indexOf(buf, from, to, SEQ);
            long seq = seqAt < 0 ? -1 : Bytes.parseLong(buf, seqAt + SEQ.length, to);
            int payloadAt = Bytes.indexOf(buf, Math.max(from, seqAt), to, PAYLOAD);
            return new long[] {seq, payloadAt < 0 ? -1 : Payloads.sentNanos(buf, payloadAt, to)};
        }
        return new long[] {Payloads.number(buf, from, to), Payloads.sentNanos(buf, from, to)};
    }
}
