package io.playconnect.gateway.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.playconnect.http.NettyListener;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's own port, for when it does not share the HTTP server's: the same handshake and
 * pipeline, and a 404 for any other path.
 */
final class StandaloneServer {
    /** A handshake has no body; anything bigger is not one. */
    private static final int MAX_HANDSHAKE_BODY = 8192;

    private final WebSocketConfig config;
    private final WebSocketUpgrade upgrade;
    private final NettyListener listener;

    StandaloneServer(WebSocketConfig config, WebSocketUpgrade upgrade, String host, int port) {
        this.config = config;
        this.upgrade = upgrade;
        this.listener = NettyListener.newBuilder().host(host).port(port)
                .threads(config.ioThreads()).threadName("pc-ws")
                .childInitializer(ch -> ch.pipeline()
                        .addLast("http-codec", new HttpServerCodec(4096, 8192, 8192))
                        .addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BODY))
                        .addLast("ws-handshake", new HandshakeRouter()))
                .build();
    }

    /** Binds and completes with the bound address (the real port when 0 was asked for). */
    CompletableFuture<InetSocketAddress> start() {
        return listener.start();
    }

    /** Stops listening and shuts the event loops down (closing every connection left). */
    CompletableFuture<Void> stop() {
        return listener.stop();
    }

    /** Sends handshakes on the gateway path to the upgrade, and refuses everything else. */
    private final class HandshakeRouter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!(msg instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                String path = pathOf(request.uri());
                if (!request.decoderResult().isSuccess()) {
                    WebSocketUpgrade.respond(ctx.channel(), 400, "bad_request", "malformed HTTP request", Map.of());
                } else if (!config.path().equals(path)) {
                    WebSocketUpgrade.respond(ctx.channel(), 404, "not_found", "no endpoint at " + path, Map.of());
                } else if (!HttpMethod.GET.equals(request.method())) {
                    WebSocketUpgrade.respond(ctx.channel(), 405, "method_not_allowed",
                            request.method() + " is not allowed here; use GET", Map.of("Allow", "GET"));
                } else {
                    upgrade.upgrade(ctx, request);
                }
            } finally {
                ReferenceCountUtil.release(request);
            }
        }

        private String pathOf(String uri) {
            try {
                return new QueryStringDecoder(uri).path();
            } catch (IllegalArgumentException e) {
                return "";
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
