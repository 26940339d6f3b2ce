package io.playconnect.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One MQTT load client: the handler at the end of its pipeline and the {@link ClientConnection}
 * the workloads drive. Inbound packets run on the channel's event loop; {@link #publish} may be
 * called from any thread.
 */
final class MqttClientConnection extends SimpleChannelInboundHandler<MqttMessage> implements ClientConnection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SUBSCRIBE_ID = 1;
    /** Publish packet ids start above the SUBSCRIBE's and wrap within the 16-bit range. */
    private static final int FIRST_PUBLISH_ID = 2;
    private static final int MAX_PACKET_ID = 65_535;

    private final ClientSpec spec;
    private final ClientListener listener;
    private final MqttDriver.Config config;
    private final String clientId;
    private final String password;
    private final List<String> topics;
    private final String errorTopic;
    private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
    private final ConcurrentHashMap<Integer, CompletableFuture<Long>> unacked = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(FIRST_PUBLISH_ID);
    private volatile Channel channel;

    MqttClientConnection(ClientSpec spec, ClientListener listener, MqttDriver.Config config, String clientId,
                         String passwordOrNull) {
        this.spec = spec;
        this.listener = listener;
        this.config = config;
        this.clientId = clientId;
        this.password = passwordOrNull;
        this.topics = spec.rooms().stream().map(MqttDriver::topic).toList();
        // A publisher (no rooms) hears about its refused commands only on this topic under MQTT 3.1.1.
        this.errorTopic = config.errorTopic() && topics.isEmpty() ? "$playconnect/errors/" + clientId : null;
    }

    CompletableFuture<ClientConnection> ready() {
        return ready;
    }

    /** The TCP connect failed. */
    void failed(Throwable cause) {
        ready.completeExceptionally(cause);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(0);
        if (password != null) {
            // PlayConnect ignores the user name; MQTT 3.1.1 needs one before a password.
            connect.hasUser(true).username(spec.user()).hasPassword(true)
                    .password(password.getBytes(StandardCharsets.UTF_8));
        }
        ctx.writeAndFlush(connect.build());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            fail(ctx, "malformed packet from the server: " + msg.decoderResult().cause());
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) msg);
            case SUBACK -> onSubAck(ctx, (MqttSubAckMessage) msg);
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage) msg);
            case PUBACK -> onPubAck((MqttMessageIdVariableHeader) msg.variableHeader());
            default -> {
                // PINGRESP and anything else a QoS 0/1 client without pings does not wait for.
            }
        }
    }

    private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage msg) {
        MqttConnectReturnCode code = msg.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            fail(ctx, "CONNACK refused: " + code);
            return;
        }
        MqttMessageBuilders.SubscribeBuilder sub = MqttMessageBuilders.subscribe().messageId(SUBSCRIBE_ID);
        topics.forEach(t -> sub.addSubscription(config.subscribe(), t));
        if (errorTopic != null) {
            sub.addSubscription(MqttQoS.AT_MOST_ONCE, errorTopic);
        }
        if (topics.isEmpty() && errorTopic == null) {
            ready.complete(this);
            return;
        }
        ctx.writeAndFlush(sub.build());
    }

    private void onSubAck(ChannelHandlerContext ctx, MqttSubAckMessage msg) {
        List<Integer> granted = msg.payload().grantedQoSLevels();
        for (int i = 0; i < granted.size(); i++) {
            if (granted.get(i) == null || granted.get(i) > 2) {
                String filter = i < topics.size() ? topics.get(i) : errorTopic;
                fail(ctx, "SUBACK refused " + filter + ": 0x" + Integer.toHexString(granted.get(i) == null ? 0x80 : granted.get(i)));
                return;
            }
        }
        ready.complete(this);
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage msg) {
        if (msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            // Written now, flushed once per read batch (channelReadComplete).
            ctx.write(MqttMessageBuilders.pubAck().packetId(msg.variableHeader().packetId()).build());
        }
        String topic = msg.variableHeader().topicName();
        if (errorTopic != null && errorTopic.equals(topic)) {
            onErrorMessage(msg);
            return;
        }
        int i = topics.indexOf(topic);
        String room = i >= 0 ? spec.rooms().get(i) : topic;
        long[] at = MqttDriver.positionAndSent(msg.payload());
        listener.onMessage(spec.index(), room, at[0], at[1]);
    }

    /** PlayConnect's {@code {"code","message",...}} on the error topic. */
    private void onErrorMessage(MqttPublishMessage msg) {
        try {
            JsonNode e = JSON.readTree((java.io.InputStream) new ByteBufInputStream(msg.payload().duplicate()));
            listener.onError(spec.index(), e.path("code").asText("unknown"), e.path("message").asText(""));
        } catch (IOException ex) {
            listener.onError(spec.index(), "client_parse", ByteBufUtil.hexDump(msg.payload()));
        }
    }

    private void onPubAck(MqttMessageIdVariableHeader header) {
        CompletableFuture<Long> f = unacked.remove(header.messageId());
        if (f != null) {
            // MQTT's PUBACK carries no stream position.
            f.complete(-1L);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        IllegalStateException gone = new IllegalStateException("connection closed");
        ready.completeExceptionally(gone);
        unacked.values().forEach(f -> f.completeExceptionally(gone));
        unacked.clear();
        listener.onClosed(spec.index(), -1, "closed");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, String.valueOf(cause));
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        ready.completeExceptionally(new IllegalStateException(why));
        listener.onError(spec.index(), "client", why);
        ctx.close();
    }

    @Override
    public int index() {
        return spec.index();
    }

    @Override
    public CompletableFuture<Long> publish(String room, byte[] payload) {
        Channel ch = channel;
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (ch == null || !ch.isActive()) {
            done.completeExceptionally(new IllegalStateException("not connected"));
            return done;
        }
        MqttMessageBuilders.PublishBuilder p = MqttMessageBuilders.publish().topicName(MqttDriver.topic(room))
                .qos(config.publish()).retained(false).payload(Unpooled.wrappedBuffer(payload));
        int id = 0;
        if (config.publish() == MqttQoS.AT_LEAST_ONCE) {
            id = packetId();
            if (unacked.putIfAbsent(id, done) != null) {
                done.completeExceptionally(new IllegalStateException("65,533 publishes unacknowledged: no packet id free"));
                return done;
            }
            p.messageId(id);
        }
        boolean qos0 = id == 0;
        int sentId = id;
        ch.writeAndFlush(p.build()).addListener(f -> {
            if (!f.isSuccess()) {
                unacked.remove(sentId);
                done.completeExceptionally(f.cause());
            } else if (qos0) {
                done.complete(-1L);
            }
        });
        return done;
    }

    private int packetId() {
        return nextId.getAndUpdate(i -> i >= MAX_PACKET_ID ? FIRST_PUBLISH_ID : i + 1);
    }

    @Override
    public CompletableFuture<Void> drop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null) {
            done.complete(null);
            return done;
        }
        if (ch instanceof SocketChannel socket && socket.isOpen()) {
            socket.config().setSoLinger(0);
        }
        ch.close().addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public boolean isOpen() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }
}
