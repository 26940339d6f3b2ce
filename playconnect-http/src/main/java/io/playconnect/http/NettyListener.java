package io.playconnect.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One listening TCP port served by Netty: each accepted connection goes to an initializer that
 * builds its pipeline. The {@link HttpServer} and the gateways' own ports (WebSocket, MQTT) all
 * stand on it, so every port of the process has the same socket options and the same shutdown.
 *
 * <pre>{@code
 * NettyListener port = NettyListener.newBuilder().host("0.0.0.0").port(1883).threadName("pc-mqtt")
 *         .childInitializer(ch -> ch.pipeline().addLast(new MyProtocolHandler())).build();
 * InetSocketAddress bound = port.start().join();
 * }</pre>
 */
public final class NettyListener {
    private final String host;
    private final int port;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Consumer<SocketChannel> childInitializer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<Void>> stopped = new AtomicReference<>();
    private volatile Channel serverChannel;

    private NettyListener(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.childInitializer = b.childInitializer;
        this.ownsGroup = b.group == null;
        this.group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(b.threads, new DefaultThreadFactory(b.threadName), NioIoHandler.newFactory())
                : b.group;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Binds and completes with the bound address (the real port when 0 was asked for). A failed
     * bind completes exceptionally with Netty's cause (a {@link java.net.BindException} when the
     * port is taken) once the listener has stopped. Can be called once.
     */
    public CompletableFuture<InetSocketAddress> start() {
        if (!started.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("NettyListener can be started once"));
        }
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        bootstrap().bind(host, port).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                serverChannel = f.channel();
                bound.complete((InetSocketAddress) f.channel().localAddress());
            } else {
                stop().whenComplete((v, e) -> bound.completeExceptionally(f.cause()));
            }
        });
        return bound;
    }

    private ServerBootstrap bootstrap() {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        childInitializer.accept(ch);
                    }
                });
    }

    /** The bound address, or null before a successful {@link #start()}. */
    public InetSocketAddress boundAddress() {
        Channel ch = serverChannel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    /** Closes the listening socket; connections already accepted stay open. */
    public CompletableFuture<Void> stopListening() {
        Channel ch = serverChannel;
        // A closed channel's loop may be gone, and a Netty future of a gone loop never calls back.
        return ch == null || !ch.isOpen() ? CompletableFuture.completedFuture(null) : toFuture(ch.close());
    }

    /**
     * Stops listening and, when the listener made its own event loops, shuts them down, which
     * closes every connection left on them. Shared event loops are left running. Idempotent: later
     * calls get the first call's future.
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!stopped.compareAndSet(null, done)) {
            return stopped.get();
        }
        stopListening()
                .thenCompose(v -> ownsGroup
                        ? toFuture(group.shutdownGracefully(0, 2, TimeUnit.SECONDS))
                        : CompletableFuture.completedFuture(null))
                .whenComplete((v, e) -> done.complete(null));
        return done;
    }

    /** A Netty future as a completion signal: a close that fails still ends our use of the channel. */
    static CompletableFuture<Void> toFuture(Future<?> nettyFuture) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        nettyFuture.addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public String toString() {
        InetSocketAddress bound = boundAddress();
        return "NettyListener[" + (bound == null ? host + ":" + port : bound) + "]";
    }

    /** Settings of a {@link NettyListener}; each is checked when set, with its name in the message. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int threads = 1;
        private String threadName = "pc-listener";
        private EventLoopGroup group;
        private Consumer<SocketChannel> childInitializer;

        private Builder() {
        }

        /** Interface to bind: an IP literal or a host name; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = nonBlank("host", host);
            return this;
        }

        /** Port to bind, 0 (the default) for any free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Threads of the listener's own event loops, when none are shared; 0 lets Netty choose. Default 1. */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The name prefix of the own event loop threads; default {@code pc-listener}. */
        public Builder threadName(String threadName) {
            this.threadName = nonBlank("threadName", threadName);
            return this;
        }

        /**
         * Event loops owned by the caller: {@link NettyListener#stop()} leaves them running.
         * Without them the listener makes its own and shuts them down on stop.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "eventLoopGroup");
            return this;
        }

        /** Builds the pipeline of each accepted connection, on its event loop. Required. */
        public Builder childInitializer(Consumer<SocketChannel> childInitializer) {
            this.childInitializer = Objects.requireNonNull(childInitializer, "childInitializer");
            return this;
        }

        public NettyListener build() {
            if (childInitializer == null) {
                throw new IllegalArgumentException("childInitializer is required");
            }
            return new NettyListener(this);
        }

        private static String nonBlank(String name, String value) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
