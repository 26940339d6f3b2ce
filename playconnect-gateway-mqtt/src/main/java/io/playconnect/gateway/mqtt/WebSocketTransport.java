package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.playconnect.http.HttpResponse;
import io.playconnect.http.UpgradeHandler;


/**
 * MQTT over WebSocket on the shared HTTP port: the handshake (subprotocol {@code mqtt}, or
 * {@code mqttv3.1} for old clients), then binary frames carry the MQTT byte stream, which the same
 * MQTT handlers as on TCP decode. A packet may span frames and a frame may hold several packets.
 */
final class WebSocketTransport implements UpgradeHandler {
    private static final String SUBPROTOCOLS = MqttConfig.WEBSOCKET_SUBPROTOCOL + ",mqttv3.1";

    private final GatewayRuntime rt;
    private final WebSocketDecoderConfig decoderConfig;

    WebSocketTransport(GatewayRuntime rt) {
        this.rt = rt;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(rt.config.maxPacketBytes())
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
    }

    @Override
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!rt.accepting) {
            respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is draining: reconnect elsewhere");
            return;
        }
        WebSocketServerHandshaker handshaker = WebSocketServerHandshakerFactory.resolveHandshaker(request,
                "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + rt.config.websocketPath(),
                SUBPROTOCOLS, decoderConfig);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered == null || !offersMqtt(offered)) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "MQTT over WebSocket needs the subprotocol mqtt");
            return;
        }
        // Added before the handshake answer leaves, so no frame can arrive before them.
        ctx.pipeline().addLast("mqtt-ws-frames", new BinaryFrames());
        rt.install(ctx.pipeline());
        handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            }
        });
    }

    private static boolean offersMqtt(String header) {
        for (String p : header.split(",")) {
            String v = p.trim();
            if (v.equals(MqttConfig.WEBSOCKET_SUBPROTOCOL) || v.equals("mqttv3.1")) {
                return true;
            }
        }
        return false;
    }

    /** A refusal in this project's HTTP error format ({@code {"code","message"}}), then the close. */
    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        byte[] body = HttpResponse.error(status.code(), status.code() == 503 ? "unavailable" : "bad_request", message)
                .body();
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpResponse.JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Binary (and continuation) frames in, their bytes on; bytes out, one binary frame each. */
    static final class BinaryFrames extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                ctx.fireChannelRead(frame.content());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content()));
            } else if (frame instanceof CloseWebSocketFrame) {
                frame.release();
                ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof PongWebSocketFrame) {
                frame.release();
            } else {
                // Text frames are not MQTT: close with 1003 (unsupported data), as MQTT over WebSocket says.
                frame.release();
                ctx.writeAndFlush(new CloseWebSocketFrame(1003, "MQTT needs binary frames"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf buf) {
                ctx.write(new BinaryWebSocketFrame(buf), promise);
            } else {
                ctx.write(msg, promise);
            }
        }
    }
}
