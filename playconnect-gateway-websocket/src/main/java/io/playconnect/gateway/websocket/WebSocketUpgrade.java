package io.playconnect.gateway.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.playconnect.edge.Admission;
import io.playconnect.edge.Edge;
import io.playconnect.edge.EdgeSession;
import io.playconnect.http.HttpResponse;
import io.playconnect.http.UpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The handshake: refuses what can be refused in plain HTTP (draining 503, foreign Origin 403,
 * wrong subprotocol 400, not an upgrade 426), asks the edge to admit the connection, then upgrades
 * and binds the connection to a new edge session. A connection the edge does not admit is
 * upgraded and closed with 1013 and the reason, because a browser sees a close code but never the
 * status of a failed handshake.
 */
final class WebSocketUpgrade implements UpgradeHandler {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    private final Edge edge;
    private final WebSocketConfig config;
    private final ChannelGroup connections;
    private final WebSocketDecoderConfig decoderConfig;
    private volatile boolean accepting = true;

    WebSocketUpgrade(Edge edge, WebSocketConfig config, ChannelGroup connections) {
        this.edge = edge;
        this.config = config;
        this.connections = connections;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxMessageBytes())
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
    }

    /** From now on every handshake gets a 503 (draining or stopped). */
    void stopAccepting() {
        accepting = false;
    }

    @Override
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        Channel channel = ctx.channel();
        if (!accepting) {
            respond(channel, 503, "unavailable", "the server is draining: reconnect elsewhere",
                    Map.of("Retry-After", Long.toString(config.retryAfter().toSeconds())));
        } else if (!HandshakeChecks.isUpgrade(request)) {
            respond(channel, 426, "bad_request", "this endpoint speaks WebSocket only",
                    Map.of("Upgrade", "websocket", "Sec-WebSocket-Version", "13"));
        } else if (!HandshakeChecks.originAllowed(request, config.allowedOrigins())) {
            respond(channel, 403, "forbidden", "origin not allowed", Map.of());
        } else if (!HandshakeChecks.subprotocolAcceptable(request)) {
            respond(channel, 400, "bad_request",
                    "unsupported subprotocol: offer " + WebSocketConfig.SUBPROTOCOL + " or none", Map.of());
        } else {
            WebSocketServerHandshaker handshaker = WebSocketServerHandshakerFactory.resolveHandshaker(request,
                    "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + config.path(),
                    WebSocketConfig.SUBPROTOCOL, decoderConfig);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                admit(channel, request, handshaker);
            }
        }
    }

    private void admit(Channel channel, FullHttpRequest request, WebSocketServerHandshaker handshaker) {
        InetSocketAddress remote = channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
        Admission admission = edge.admit(WebSocketGateway.PROTOCOL, remote);
        FrameWriter writer = new FrameWriter(channel, config.closeTimeout());
        if (!admission.accepted()) {
            admission.release();
            String reason = admission.code().wireName() + ": " + admission.reason();
            handshaker.handshake(channel, request).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    writer.closeNow(CloseCodes.TRY_AGAIN_LATER, reason);
                    edge.meters(WebSocketGateway.PROTOCOL)
                            .frameOut(FrameWriter.closeFrameBytes(CloseCodes.truncateReason(reason)));
                } else {
                    f.channel().close();
                }
            });
            return;
        }
        try {
            open(channel, request, handshaker, admission, writer);
        } catch (RuntimeException e) {
            admission.release();
            log.warn("websocket upgrade failed on {}", channel, e);
            channel.close();
        }
    }

    private void open(Channel channel, FullHttpRequest request, WebSocketServerHandshaker handshaker,
                      Admission admission, FrameWriter writer) {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(
                config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()));
        if (config.socketSendBuffer() > 0) {
            channel.config().setOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer());
        }
        WebSocketConnection connection = new WebSocketConnection(config, writer);
        channel.pipeline()
                .addLast("ws-utf8", new Utf8FrameValidator(true))
                .addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()))
                .addLast("ws-idle", new IdleStateHandler(config.pingInterval().toMillis(), 0, 0,
                        TimeUnit.MILLISECONDS))
                .addLast("ws-connection", connection);
        ChannelFuture handshake = handshaker.handshake(channel, request);
        // Opened at once, on the event loop: no frame can be read before the session exists.
        EdgeSession session = edge.openSession(admission, new ConnectionOutput(writer));
        connection.attach(session);
        connections.add(channel);
        handshake.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            }
        });
        String token = firstQueryParam(request.uri(), "token");
        if (token != null && !token.isEmpty()) {
            connection.authenticate(token);
        }
    }

    private static String firstQueryParam(String uri, String name) {
        try {
            List<String> values = new QueryStringDecoder(uri).parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A JSON error in this project's HTTP error format, then the connection is closed. */
    static void respond(Channel channel, int status, String code, String message, Map<String, String> headers) {
        byte[] body = HttpResponse.error(status, code, message).body();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        headers.forEach(response.headers()::set);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpResponse.JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
