package io.playconnect.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP/1.1 server whose one port serves request/response endpoints ({@link #route}) and hands
 * connections over to protocol gateways ({@link #upgradeRoute}). Unknown paths get a JSON 404, a
 * method a route does not take a 405, a body over the limit a 413, and a malformed request a 400
 * followed by a close. Routes may be added before or after {@link #start()}.
 *
 * <pre>{@code
 * HttpServer http = HttpServer.newBuilder().host("127.0.0.1").port(0).build();
 * http.route("/healthz", req -> CompletableFuture.completedFuture(HttpResponse.json(200, "{}")));
 * InetSocketAddress bound = http.start().join();
 * }</pre>
 */
public final class HttpServer {
    private enum State { NEW, STARTED, STOPPED }

    private final String host;
    private final int port;
    private final int maxContentLength;
    private final NettyListener listener;
    private final Routes routes = new Routes();
    private final ChannelGroup connections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    private HttpServer(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxContentLength = b.maxContentLength;
        this.listener = b.listener.childInitializer(this::initChannel).build();
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** Serves {@code GET} (and so {@code HEAD}) requests for {@code path}. */
    public HttpServer route(String path, HttpHandler handler) {
        return route("GET", path, handler);
    }

    /** Serves requests with {@code method} for {@code path}; a path may have several methods. */
    public HttpServer route(String method, String path, HttpHandler handler) {
        routes.addEndpoint(method, path, handler);
        return this;
    }

    /** Hands {@code GET} requests for {@code path} to a protocol gateway that takes the connection. */
    public HttpServer upgradeRoute(String path, UpgradeHandler handler) {
        routes.addUpgrade(path, handler);
        return this;
    }

    /**
     * Binds and completes with the bound address (the real port when 0 was asked for). A failed
     * bind completes exceptionally (with a {@link java.net.BindException} among the causes when
     * the port is taken) and leaves the server stopped.
     */
    public CompletableFuture<InetSocketAddress> start() {
        if (!state.compareAndSet(State.NEW, State.STARTED)) {
            return CompletableFuture.failedFuture(new IllegalStateException("HttpServer can be started once"));
        }
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        listener.start().whenComplete((address, error) -> {
            if (error == null) {
                bound.complete(address);
            } else {
                stop().whenComplete((v, e) -> bound.completeExceptionally(error));
            }
        });
        return bound;
    }

    private void initChannel(SocketChannel ch) {
        connections.add(ch);
        ch.pipeline()
                .addLast("http-codec", new HttpServerCodec(4096, 8192, 8192))
                .addLast("http-aggregator", new JsonObjectAggregator(maxContentLength))
                .addLast("http-router", new RequestRouter(routes));
    }

    /** The bound address, or null before a successful {@link #start()}. */
    public InetSocketAddress boundAddress() {
        return listener.boundAddress();
    }

    /**
     * Stops listening, closes every connection (upgraded ones too: gateways drain theirs first)
     * and, when the server made its own event loops, shuts them down. Idempotent.
     */
    public CompletableFuture<Void> stop() {
        if (state.getAndSet(State.STOPPED) == State.STOPPED) {
            return CompletableFuture.completedFuture(null);
        }
        return listener.stopListening()
                .thenCompose(v -> NettyListener.toFuture(connections.close()))
                .thenCompose(v -> listener.stop());
    }

    @Override
    public String toString() {
        InetSocketAddress bound = boundAddress();
        return "HttpServer[" + (bound == null ? host + ":" + port : bound) + ", " + state.get() + "]";
    }

    /** Settings of an {@link HttpServer}; each is checked when set, with its name in the message. */
    public static final class Builder {
        private final NettyListener.Builder listener = NettyListener.newBuilder().port(8080).threadName("pc-http");
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxContentLength = 64 * 1024;

        private Builder() {
        }

        /** Interface to bind: an IP literal or a host name; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            listener.host(host);
            this.host = host;
            return this;
        }

        /** Port to bind, 0 for any free one; default 8080. */
        public Builder port(int port) {
            listener.port(port);
            this.port = port;
            return this;
        }

        /** Largest request body accepted, in bytes; larger ones get a 413. Default 64 KiB. */
        public Builder maxContentLength(int maxContentLength) {
            if (maxContentLength < 0) {
                throw new IllegalArgumentException("maxContentLength must be >= 0: " + maxContentLength);
            }
            this.maxContentLength = maxContentLength;
            return this;
        }

        /**
         * Event loops to share with the rest of the process (gateways, clients). The caller owns
         * them: {@link HttpServer#stop()} leaves them running. Without one, the server makes its
         * own (see {@link #threads(int)}) and shuts them down on stop.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            listener.eventLoopGroup(group);
            return this;
        }

        /** Threads of the server's own event loop group, when none is shared; default 1. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1: " + threads);
            }
            listener.threads(threads);
            return this;
        }

        public HttpServer build() {
            return new HttpServer(this);
        }
    }
}
