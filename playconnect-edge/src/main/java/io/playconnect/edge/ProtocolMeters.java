package io.playconnect.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.playconnect.core.ErrorCode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one protocol. Gateways count frames that are not part of a session here (a
 * refused handshake, an MQTT CONNECT); frames of a session go through the session.
 */
public final class ProtocolMeters {
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter opened;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter deliveries;
    private final Counter encodes;
    private final Counter slowConsumerDrops;
    private final Counter recovered;
    private final Counter snapshot;
    private final Timer fanoutLatency;
    // Created on first use: most codes never occur, and each would be a series on every scrape.
    private final Map<ErrorCode, Counter> refused = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Timer> commandsFailed = new ConcurrentHashMap<>();
    private final Timer commandsAccepted;
    private final MeterRegistry registry;
    private final String protocol;

    /** The protocol these meters count, as gateways name it ({@code websocket}, {@code mqtt}, ...). */
    String protocol() {
        return protocol;
    }

    ProtocolMeters(MeterRegistry registry, String protocol) {
        this.registry = registry;
        this.protocol = protocol;
        String p = EdgeMetrics.TAG_PROTOCOL;
        registry.gauge(EdgeMetrics.CONNECTIONS, io.micrometer.core.instrument.Tags.of(p, protocol), connections);
        opened = registry.counter(EdgeMetrics.SESSIONS_OPENED, p, protocol);
        framesIn = registry.counter(EdgeMetrics.FRAMES_IN, p, protocol);
        framesOut = registry.counter(EdgeMetrics.FRAMES_OUT, p, protocol);
        bytesIn = registry.counter(EdgeMetrics.BYTES_IN, p, protocol);
        bytesOut = registry.counter(EdgeMetrics.BYTES_OUT, p, protocol);
        deliveries = registry.counter(EdgeMetrics.DELIVERIES, p, protocol);
        encodes = registry.counter(EdgeMetrics.ENCODES, p, protocol);
        slowConsumerDrops = registry.counter(EdgeMetrics.SLOW_CONSUMER_DROPS, p, protocol);
        recovered = registry.counter(EdgeMetrics.RESUMES, p, protocol, EdgeMetrics.TAG_OUTCOME, EdgeMetrics.OUTCOME_RECOVERED);
        snapshot = registry.counter(EdgeMetrics.RESUMES, p, protocol, EdgeMetrics.TAG_OUTCOME, EdgeMetrics.OUTCOME_SNAPSHOT);
        fanoutLatency = Timer.builder(EdgeMetrics.FANOUT_LATENCY).tag(p, protocol)
                .publishPercentileHistogram().register(registry);
        commandsAccepted = Timer.builder(EdgeMetrics.COMMANDS).tag(p, protocol)
                .tag(EdgeMetrics.TAG_OUTCOME, EdgeMetrics.OUTCOME_ACCEPTED).register(registry);
    }

    public void frameIn(int bytes) {
        framesIn.increment();
        bytesIn.increment(bytes);
    }

    public void frameOut(int bytes) {
        framesOut.increment();
        bytesOut.increment(bytes);
    }

    /** {@code frames} outbound frames of {@code bytes} in all, added at once. */
    public void framesOut(int frames, long bytes) {
        if (frames > 0) {
            framesOut.increment(frames);
            bytesOut.increment(bytes);
        }
    }

    int connectionOpened() {
        opened.increment();
        return connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void refused(ErrorCode code) {
        refused.computeIfAbsent(code, c -> registry.counter(EdgeMetrics.SESSIONS_REFUSED,
                EdgeMetrics.TAG_PROTOCOL, protocol, EdgeMetrics.TAG_REASON, c.wireName())).increment();
    }

    void rejection(ErrorCode code) {
        rejections.computeIfAbsent(code, c -> registry.counter(EdgeMetrics.REJECTIONS,
                EdgeMetrics.TAG_PROTOCOL, protocol, EdgeMetrics.TAG_CODE, c.wireName())).increment();
    }

    /** {@code count} sessions were handed one event. */
    void delivered(int count) {
        deliveries.increment(count);
    }

    /** The fan-out latency of one event, recorded once however many sessions it went to. */
    void fanoutLatency(long latencyMillis) {
        fanoutLatency.record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    }

    void encoded() {
        encodes.increment();
    }

    void slowConsumer() {
        slowConsumerDrops.increment();
    }

    void resumed(boolean wasRecovered) {
        (wasRecovered ? recovered : snapshot).increment();
    }

    void command(ErrorCode failure, long nanos) {
        Timer timer = failure == null ? commandsAccepted : commandsFailed.computeIfAbsent(failure,
                c -> Timer.builder(EdgeMetrics.COMMANDS).tag(EdgeMetrics.TAG_PROTOCOL, protocol)
                        .tag(EdgeMetrics.TAG_OUTCOME, c.wireName()).register(registry));
        timer.record(Duration.ofNanos(nanos));
    }
}
