package io.playconnect.edge.limits;

import io.github.bucket4j.Bucket;
import io.playconnect.core.ErrorCode;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether a new connection may open: the global connection cap, the per-IP concurrent cap
 * and the per-IP connections-per-second bucket.
 */
public final class AdmissionControl {
    private final EdgeLimits limits;
    private final ClockTimeMeter meter;
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, PerIp> perIp = new ConcurrentHashMap<>();

    public AdmissionControl(EdgeLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.meter = new ClockTimeMeter(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Takes a slot for a connection from {@code address} (null when unknown: only the global cap
     * applies). The answer is either granted (release it when the connection ends) or a refusal.
     */
    public Slot tryAdmit(InetAddress address) {
        if (connections.incrementAndGet() > limits.maxConnections()) {
            connections.decrementAndGet();
            return new Slot(null, ErrorCode.OVERLOADED, "server is at its connection limit");
        }
        if (address == null) {
            return new Slot(null, null, null);
        }
        PerIp ip = perIp.computeIfAbsent(address, a -> new PerIp());
        if (ip.open.incrementAndGet() > limits.maxConnectionsPerIp()) {
            ip.open.decrementAndGet();
            connections.decrementAndGet();
            return new Slot(null, ErrorCode.OVERLOADED, "too many connections from this address");
        }
        if (!ip.rate.tryConsume(1)) {
            ip.open.decrementAndGet();
            connections.decrementAndGet();
            return new Slot(null, ErrorCode.RATE_LIMITED, "connecting too fast from this address");
        }
        return new Slot(ip, null, null);
    }

    public int connections() {
        return connections.get();
    }

    /**
     * Forgets addresses with no open connection and a full bucket, so the map stays as small as the
     * set of addresses that matter; call it periodically.
     */
    public void sweep() {
        long full = limits.connectionsPerSecondPerIp();
        perIp.entrySet().removeIf(e -> e.getValue().open.get() <= 0 && e.getValue().rate.getAvailableTokens() >= full);
    }

    int trackedAddresses() {
        return perIp.size();
    }

    /**
     * A granted connection slot (give it back with {@link #release()}, idempotent) or a refusal
     * with its code and reason.
     */
    public final class Slot {
        private final PerIp ip;
        private final ErrorCode code;
        private final String reason;
        private final AtomicBoolean released;

        private Slot(PerIp ip, ErrorCode code, String reason) {
            this.ip = ip;
            this.code = code;
            this.reason = reason;
            this.released = new AtomicBoolean(code != null);
        }

        public boolean granted() {
            return code == null;
        }

        /** Null when granted. */
        public ErrorCode code() {
            return code;
        }

        /** Null when granted. */
        public String reason() {
            return reason;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                connections.decrementAndGet();
                // The slot keeps its own counter: a sweep that forgot the address meanwhile loses nothing.
                if (ip != null) {
                    ip.open.decrementAndGet();
                }
            }
        }
    }

    private final class PerIp {
        final AtomicInteger open = new AtomicInteger();
        final Bucket rate = Bucket.builder()
                .addLimit(l -> l.capacity(limits.connectionsPerSecondPerIp())
                        .refillGreedy(limits.connectionsPerSecondPerIp(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(meter)
                .build();
    }
}
