package io.playconnect.gateway.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.playconnect.edge.Admission;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.EdgeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection: the state machine from CONNECT to close, dispatch of decoded packets to
 * the handshake, subscriptions and commands, and the only way out to the client. Everything runs
 * on the connection's event loop; the edge's callbacks are {@link #post posted} there, so no field
 * needs synchronisation. Writes are coalesced into one flush per read batch or edge batch.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    /** Netty's codec keeps the negotiated version in this channel attribute (name from MqttCodecUtil). */
    private static final AttributeKey<MqttVersion> CODEC_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSED }

    final GatewayRuntime rt;
    private final Inbox inbox;
    private final Handshake handshake;
    private final Subscriptions subscriptions;
    private final InboundCommands commands;
    private final OutboundPublisher outbound;
    private final Wills wills;
    private final List<Held> held = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_CONNECT;
    private Admission refused;
    private EdgeSession session;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private String clientId;
    /** The session's key (hash of user and client id) once the CONNECT was authenticated. */
    private String sessionHash;
    /** The persistence of a session that outlives the connection (or was resumed); null for clean sessions. */
    private MqttSession persistence;
    /** Completes once the connection closed and its session's final state is stored. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Takeover requests from other gateways; closed only once the final state is stored. */
    private io.playconnect.core.spi.Subscription takeoverListener;
    private boolean dirty;
    private boolean reportedWritable = true;

    private record Held(MqttMessage message, boolean admitted) {
    }

    MqttConnection(GatewayRuntime rt) {
        this.rt = rt;
        // The helpers read rt while being built: they come after it.
        this.handshake = new Handshake(this);
        this.subscriptions = new Subscriptions(this);
        this.commands = new InboundCommands(this);
        this.outbound = new OutboundPublisher(this);
        this.wills = new Wills(this);
        this.inbox = new Inbox(() -> ctx.executor(), this::runPosted, this::flush, wills::eventLoopGone);
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Over WebSocket the channel is already active when the handlers are added.
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (this.ctx != null) {
            return;
        }
        this.ctx = ctx;
        Channel ch = ctx.channel();
        rt.connections.add(ch);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(
                rt.config.writeBufferLowWaterMark(), rt.config.writeBufferHighWaterMark()));
        InetSocketAddress remote = ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
        Admission admission = rt.edge.admit(MqttGateway.PROTOCOL, remote);
        if (!admission.accepted()) {
            // Refused at once, but answered with a CONNACK (whose format needs the client's version).
            refused = admission;
            admission.release();
            ctx.executor().schedule(() -> closeNow(), rt.edge.limits().authDeadline().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        try {
            session = rt.edge.openSession(admission, new EdgeOutput(this));
        } catch (RuntimeException e) {
            admission.release();
            log.warn("mqtt connection {} could not open an edge session", ch, e);
            ch.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        held.forEach(h -> ReferenceCountUtil.release(h.message()));
        held.clear();
        // The final state is taken before anything is released; the store gets it with the expiry.
        CompletableFuture<Void> stored = persistence == null ? CompletableFuture.completedFuture(null)
                : persistence.end(exportState());
        rt.sessions.ending(stored);
        subscriptions.closeAll();
        outbound.release();
        if (sessionHash != null) {
            rt.sessions.remove(sessionHash, this);
        }
        if (session != null) {
            wills.connectionLost(session);
        }
        stored.whenComplete((v, e) -> {
            // Until now a takeover request is answered after the final write; then nobody answers.
            if (takeoverListener != null) {
                takeoverListener.close();
            }
            ended.complete(null);
        });
        ctx.fireChannelInactive();
    }

    // ------------------------------------------------------------------ inbound packets

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean keep = false;
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (m.decoderResult().isFailure()) {
                onDecodeFailure(m.decoderResult().cause());
                return;
            }
            boolean admitted = countIn(m);
            switch (state) {
                case AWAITING_CONNECT -> {
                    if (m instanceof MqttConnectMessage connect) {
                        handshake.onConnect(connect, refused);
                    } else {
                        closeNow();
                    }
                }
                case CONNECTING -> {
                    // Nothing after CONNECT may be processed before the CONNACK went out.
                    held.add(new Held(m, admitted));
                    keep = true;
                }
                case CONNECTED -> dispatch(m, admitted);
                default -> { }
            }
        } catch (RuntimeException e) {
            log.warn("mqtt packet handling failed on {}", ctx.channel(), e);
            closeWith(ReasonCodes.UNSPECIFIED, "internal error");
        } finally {
            if (!keep) {
                ReferenceCountUtil.release(m);
            }
        }
    }

    private boolean countIn(MqttMessage m) {
        int bytes = Packets.wireSize(m.fixedHeader().remainingLength());
        if (session == null) {
            rt.meters().frameIn(bytes);
            return true;
        }
        return session.inboundMessage(bytes);
    }

    private void dispatch(MqttMessage m, boolean admitted) {
        switch (m.fixedHeader().messageType()) {
            case PUBLISH -> commands.onPublish((MqttPublishMessage) m, admitted);
            case PUBACK -> outbound.onPubAck(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
            case PUBREC -> outbound.onPubRec(((MqttMessageIdVariableHeader) m.variableHeader()).messageId(),
                    m.variableHeader() instanceof MqttPubReplyMessageVariableHeader r ? r.reasonCode() & 0xff : 0);
            case PUBCOMP -> outbound.onPubComp(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
            case PUBREL -> commands.onPubRel(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
            case SUBSCRIBE -> subscriptions.onSubscribe((MqttSubscribeMessage) m, admitted);
            case UNSUBSCRIBE -> subscriptions.onUnsubscribe((MqttUnsubscribeMessage) m);
            case PINGREQ -> write(Packets.PINGRESP);
            case DISCONNECT -> handshake.onDisconnect(m);
            case AUTH -> handshake.onAuth(m);
            case CONNECT -> closeWith(ReasonCodes.PROTOCOL_ERROR, "a second CONNECT on the connection");
            default -> closeWith(ReasonCodes.PROTOCOL_ERROR,
                    "a client must not send " + m.fixedHeader().messageType());
        }
    }

    private void onDecodeFailure(Throwable cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (state == State.CONNECTED) {
            closeWith(ReasonCodes.violation(cause, text), "malformed packet: " + text);
        } else {
            handshake.onBrokenConnect(cause, text, ctx.channel().attr(CODEC_VERSION).get(),
                    state == State.AWAITING_CONNECT);
        }
    }

    /**
     * After a successful CONNECT: runs {@code restore} (a resumed session's state), then replays
     * what arrived while the token was checked.
     */
    void connected(String id, Runnable restore) {
        this.state = State.CONNECTED;
        this.clientId = id;
        restore.run();
        List<Held> pending = new ArrayList<>(held);
        held.clear();
        ctx.channel().config().setAutoRead(true);
        for (Held h : pending) {
            try {
                if (state == State.CONNECTED) {
                    dispatch(h.message(), h.admitted());
                }
            } finally {
                ReferenceCountUtil.release(h.message());
            }
        }
    }

    void connecting(MqttVersion requested) {
        this.version = requested;
        this.state = State.CONNECTING;
        ctx.channel().config().setAutoRead(false);
    }

    // ------------------------------------------------------------------ edge callbacks (event loop)

    /** Runs {@code task} on the event loop after everything posted before it; flushes once per batch. */
    void post(Runnable task) {
        inbox.post(task);
    }

    private void runPosted(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("mqtt connection {} failed on an edge callback", ctx.channel(), e);
            closeWith(ReasonCodes.UNSPECIFIED, "internal error");
        }
    }

    void onCommandDone(String correlationId, EdgeError error) {
        if (wills.onCommandDone(correlationId)) {
            return;
        }
        if (state == State.CONNECTED && !commands.onDone(correlationId, error) && error != null) {
            subscriptions.deliverError(error);
        }
    }

    void onEdgeClose(CloseReason reason) {
        switch (state) {
            case AWAITING_CONNECT -> closeNow();
            case CONNECTING -> refuseConnect(ReasonCodes.closedWhileConnecting(reason.kind(), isV5()), isV5(),
                    reason.text());
            case CONNECTED -> closeWith(ReasonCodes.disconnect(reason.kind()), reason.text());
            default -> { }
        }
    }

    // ------------------------------------------------------------------ output

    /** Queues a packet; it goes out with the next flush. Dropped once the connection is closed. */
    void write(MqttMessage m) {
        if (ctx == null || !ctx.channel().isActive() || state == State.CLOSED) {
            ReferenceCountUtil.release(m);
            return;
        }
        ctx.write(m, ctx.voidPromise());
        dirty = true;
    }

    void flush() {
        if (dirty) {
            dirty = false;
            ctx.flush();
        }
    }

    void frameWritten(int bytes) {
        if (session != null) {
            session.frameWritten(bytes);
        } else {
            rt.meters().frameOut(bytes);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateWritable();
        if (ctx.channel().isWritable()) {
            outbound.pump();
            flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Tells the edge to hold events while the socket or the in-flight window is backed up. */
    void updateWritable() {
        boolean writable = ctx.channel().isWritable() && outbound.queued() < rt.config.maxQueuedPublishes();
        if (writable != reportedWritable && session != null) {
            reportedWritable = writable;
            session.writable(writable);
        }
    }

    /** Refuses a CONNECT with this CONNACK code, then closes. */
    void refuseConnect(int code, boolean v5, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        ctx.channel().attr(CODEC_VERSION).set(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
        closeAfter(Packets.connAckRefused(code, v5, reason));
    }

    /**
     * Closes because of the server or a protocol violation: MQTT 5 clients that got their CONNACK
     * get a DISCONNECT with the reason first; MQTT 3.1.1 has no server DISCONNECT.
     */
    void closeWith(int reason, String text) {
        if (state == State.CLOSED) {
            return;
        }
        boolean tell = isV5() && state == State.CONNECTED;
        state = State.CLOSED;
        if (tell) {
            // A second CONNECT may have reset the codec's version: the DISCONNECT is MQTT 5.
            ctx.channel().attr(CODEC_VERSION).set(MqttVersion.MQTT_5);
            closeAfter(Packets.disconnect(reason, text));
        } else {
            closeNow();
        }
    }

    /** Closes without a word (MQTT 3.1.1 violations, a client's own DISCONNECT). */
    void closeNow() {
        state = State.CLOSED;
        if (ctx != null) {
            ctx.close();
        }
    }

    private void closeAfter(MqttMessage last) {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            ReferenceCountUtil.release(last);
            return;
        }
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        // A peer that stopped reading never lets the last packet leave: cut the connection anyway.
        ctx.executor().schedule(() -> ch.close(), rt.config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            closeWith(ReasonCodes.KEEP_ALIVE_TIMEOUT, "no packet within one and a half keep-alive intervals");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("mqtt connection {} failed: {}", ctx.channel(), cause.toString());
            closeNow();
        } else {
            log.warn("mqtt connection {} failed", ctx.channel(), cause);
            closeWith(ReasonCodes.UNSPECIFIED, "internal error");
        }
    }

    // ------------------------------------------------------------------ sessions

    /** The authenticated CONNECT names this session (from now on a takeover may close this connection). */
    void sessionKey(String hash) {
        this.sessionHash = hash;
    }

    void takeoverListener(io.playconnect.core.spi.Subscription listener) {
        this.takeoverListener = listener;
    }

    void persistence(MqttSession persistence) {
        this.persistence = persistence;
    }

    MqttSession persistence() {
        return persistence;
    }

    /** Something a persistent session stores changed: it is written soon. */
    void sessionChanged() {
        if (persistence != null) {
            persistence.changed();
        }
    }

    /**
     * Another connection takes this session over: closes this one (MQTT 5: DISCONNECT 0x8E). The
     * future completes once it closed and its final state is stored. Idempotent.
     */
    CompletableFuture<Void> takeOver() {
        // Only channelInactive completes it, after the final write: a channel that is already
        // closed may not have stored its state yet (MQTT 3.1.1 closes at once).
        post(() -> closeWith(ReasonCodes.SESSION_TAKEN_OVER, "another connection took over client id " + clientId));
        return ended;
    }

    /** What the session store keeps of this connection's session now. */
    SessionState exportState() {
        SessionState s = new SessionState();
        s.user = session.principal() == null ? "" : session.principal().user();
        s.clientId = clientId == null ? "" : clientId;
        s.expirySeconds = persistence == null ? 0 : persistence.expirySeconds();
        s.tag = persistence == null ? "" : persistence.tag;
        s.counter = persistence == null ? 0 : persistence.counter;
        subscriptions.exportTo(s);
        commands.exportTo(s);
        s.outbound.addAll(outbound.inflight());
        return s;
    }

    // ------------------------------------------------------------------ accessors for the helpers

    ChannelHandlerContext ctx() {
        return ctx;
    }

    EdgeSession session() {
        return session;
    }

    boolean isV5() {
        return version == MqttVersion.MQTT_5;
    }

    State state() {
        return state;
    }

    String clientId() {
        return clientId;
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    OutboundPublisher outbound() {
        return outbound;
    }

    Wills wills() {
        return wills;
    }

    InboundCommands commands() {
        return commands;
    }
}
