package io.playconnect.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty WebSocket clients on a few shared I/O threads, for every driver that speaks WebSocket.
 * A client's frames go to its {@link FrameSink} on the client's own I/O thread, one at a time.
 */
final class WebSocketClients implements AutoCloseable {
    /** Large enough for a snapshot of a busy chat room or a batch of NATS messages. */
    private static final int MAX_MESSAGE = 1 << 20;
    private static final int HANDSHAKE_TIMEOUT_MS = 30_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    /** Where one client's frames go. */
    interface FrameSink {
        /** A text or binary message; {@code content} is only valid during the call. */
        void onFrame(Channel channel, ByteBuf content);

        /** The connection is gone: the peer's close code, or -1 when it closed without one. */
        void onClose(int code, String reason);
    }

    WebSocketClients(int ioThreads, String threadName) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        }
        group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory(threadName, true),
                NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000);
    }

    /**
     * Connects from {@code localAddress} (port chosen by the kernel) and completes with the channel
     * once the WebSocket handshake is done. Frames the server sends right after the handshake
     * already go to {@code sink}.
     */
    CompletableFuture<Channel> open(URI uri, String subprotocolOrNull, InetAddress localAddress, FrameSink sink) {
        CompletableFuture<Channel> opened = new CompletableFuture<>();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(subprotocolOrNull)
                .maxFramePayloadLength(MAX_MESSAGE)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .build();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_MESSAGE),
                        new FrameHandler(sink, opened));
            }
        }).connect(new InetSocketAddress(uri.getHost(), port), new InetSocketAddress(localAddress, 0));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    /** Closes at once with a reset, so no side keeps the connection in TIME_WAIT. */
    static CompletableFuture<Void> drop(Channel channel) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (channel instanceof SocketChannel socket && socket.isOpen()) {
            socket.config().setSoLinger(0);
        }
        channel.close().addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final FrameSink sink;
        private final CompletableFuture<Channel> opened;
        private int closeCode = -1;
        private String closeReason = "";

        FrameHandler(FrameSink sink, CompletableFuture<Channel> opened) {
            this.sink = sink;
            this.opened = opened;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                opened.complete(ctx.channel());
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                sink.onFrame(ctx.channel(), frame.content());
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                closeReason = close.reasonText();
                ctx.writeAndFlush(new CloseWebSocketFrame())
                        .addListener(f -> ctx.close());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!opened.isDone()) {
                opened.completeExceptionally(new IllegalStateException("closed during the handshake"
                        + (closeCode < 0 ? "" : " with " + closeCode + " " + closeReason)));
            }
            sink.onClose(closeCode, closeReason);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            ctx.close();
        }
    }
}
