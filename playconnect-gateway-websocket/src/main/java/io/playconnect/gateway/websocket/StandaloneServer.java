package io.playconnect.gateway.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own port, for when it does not share the HTTP server's: the same handshake and
 * pipeline, and a 404 for any other path.
 */
final class StandaloneServer {
    /** A handshake has no body; anything bigger is not one. */
    private static final int MAX_HANDSHAKE_BODY = 8192;

    private final WebSocketConfig config;
    private final WebSocketUpgrade upgrade;
    private final EventLoopGroup group;
    private volatile Channel serverChannel;

    StandaloneServer(WebSocketConfig config, WebSocketUpgrade upgrade) {
        this.config = config;
        this.upgrade = upgrade;
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("pc-ws"),
                NioIoHandler.newFactory());
    }

    /** Binds and completes with the bound address (the real port when 0 was asked for). */
    CompletableFuture<InetSocketAddress> start(String host, int port) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http-codec", new HttpServerCodec(4096, 8192, 8192))
                                .addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BODY))
                                .addLast("ws-handshake", new HandshakeRouter());
                    }
                })
                .bind(host, port)
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        serverChannel = f.channel();
                        bound.complete((InetSocketAddress) f.channel().localAddress());
                    } else {
                        stop();
                        bound.completeExceptionally(f.cause());
                    }
                });
        return bound;
    }

    /** Stops listening and shuts the event loops down (closing every connection left). */
    CompletableFuture<Void> stop() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        return done;
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
