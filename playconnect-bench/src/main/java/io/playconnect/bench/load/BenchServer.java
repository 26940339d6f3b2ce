package io.playconnect.bench.load;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.edge.Edge;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.engine.SyncEngine;
import io.playconnect.gateway.websocket.WebSocketGateway;
import io.playconnect.http.HttpServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The product's single-process wiring (in-process broker and presence, engine, edge with HS256
 * tokens, the HTTP server on two I/O threads with the WebSocket gateway on its port, the same
 * gateway options as {@code playconnect run}), with the edge's connection and rate limits raised
 * for a load test from one machine.
 *
 * <p>It exists because {@code playconnect run} has no option for {@link EdgeLimits} yet: its
 * defaults (100 connections and 20 connections/s per address, 10,000 in all, 50 messages/s per
 * connection) refuse a load test. Once the server takes those options, the benchmark script can
 * run the real command instead; nothing else here differs from it.
 */
public final class BenchServer implements AutoCloseable {
    /** Far above any size the load generator opens, so no workload is refused by admission control. */
    public static final int MAX_CONNECTIONS = 100_000;
    private static final int PARTITIONS = 16;

    private final EventLoopGroup ioGroup;
    private final InMemoryBroker broker;
    private final InMemoryPresenceStore presence;
    private final SyncEngine engine;
    private final Edge edge;
    private final HttpServer http;
    private final WebSocketGateway gateway = new WebSocketGateway();
    private final URI wsUri;

    private BenchServer(String host, int port, String tokenSecret, EdgeLimits limits) {
        ioGroup = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("pc-io"), NioIoHandler.newFactory());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        broker = InMemoryBroker.newBuilder().build();
        presence = InMemoryPresenceStore.newBuilder().build();
        engine = SyncEngine.newBuilder().broker(broker).partitions(PARTITIONS).build();
        engine.start().join();
        edge = Edge.newBuilder().broker(broker).presenceStore(presence)
                .tokenVerifier(JwtTokenVerifier.newBuilder()
                        .hmacSecret(tokenSecret.getBytes(StandardCharsets.UTF_8)).build())
                .limits(limits).meterRegistry(registry).partitions(PARTITIONS).build();
        edge.start().join();
        http = HttpServer.newBuilder().host(host).port(port).maxContentLength(64 * 1024).eventLoopGroup(ioGroup).build();
        http.start().join();
        GatewaySettings settings = GatewaySettings.newBuilder().host(host).port(-1)
                .options(Map.of("socket-send-buffer", Integer.toString(64 * 1024))).build();
        GatewayContext context = GatewayContext.newBuilder().edge(edge).settings(settings)
                .meterRegistry(registry).extension(HttpServer.class, http).build();
        wsUri = gateway.start(context).join().get(0).uri();
    }

    /** Starts on {@code host:port} (0 for any free port) and returns once it accepts WebSocket clients. */
    public static BenchServer start(String host, int port, String tokenSecret) {
        return start(host, port, tokenSecret, loadTestLimits());
    }

    public static BenchServer start(String host, int port, String tokenSecret, EdgeLimits limits) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tokenSecret, "tokenSecret");
        Objects.requireNonNull(limits, "limits");
        return new BenchServer(host, port, tokenSecret, limits);
    }

    /**
     * The defaults, except: connections (in all, per address, per address and second) are
     * effectively unlimited, and one publisher may send a burst of thousands of messages.
     * Everything per connection that protects the server (queues, payload size) is unchanged.
     */
    public static EdgeLimits loadTestLimits() {
        return EdgeLimits.newBuilder()
                .maxConnections(MAX_CONNECTIONS)
                .maxConnectionsPerIp(MAX_CONNECTIONS)
                .connectionsPerSecondPerIp(MAX_CONNECTIONS)
                .messagesPerSecond(100_000)
                .messageBurst(100_000)
                .bytesPerSecond(256L << 20)
                .build();
    }

    /** {@code ws://host:port/ws}. */
    public URI wsUri() {
        return wsUri;
    }

    public int sessionCount() {
        return edge.sessionCount();
    }

    @Override
    public void close() {
        gateway.close();
        edge.close();
        http.stop().join();
        engine.close();
        presence.close();
        broker.close();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
