package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cross-protocol: publishers of one protocol (MQTT QoS 1) into one room, subscribers of another
 * (WebSocket) in it, at a fixed total rate spread round robin over the publishers. Open loop:
 * message <i>i</i> is due at start + <i>i</i>/rate, leaves then whatever earlier answers did, and
 * carries that due time, so latency (publish to delivery) counts a stall of the server or of the
 * sender in full. A warm-up period first, then the measured one: p99 latency, and how many
 * deliveries are missing (published × subscribers minus delivered).
 *
 * <p>Why several publishers: the edge runs one command per session and room at a time (16 more
 * may wait, beyond that it refuses), so one connection's rate is bounded by the commit round trip.
 * Each publisher keeps at most {@code publishWindow} publishes unacknowledged and holds the rest in
 * order, as an MQTT client library's in-flight limit does; a held message still counts its latency
 * from its due time.
 */
final class CrossProtocol implements Workload {
    static final String ROOM = "chat.cross";
    static final double P99_TARGET_MS = 10;
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    /** Waiting for the last deliveries ends this long after the count last moved. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Override
    public String name() {
        return "cross";
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        LoadOptions o = ctx.options();
        Deliveries d = new Deliveries(o.crossSubscribers(), ROOM);
        Fleet.Opened subs = ctx.subscriberFleet().open("cross subscribers",
                Clients.specs(ctx, "cross-sub", o.crossSubscribers(), i -> List.of(ROOM)), d, o.stepTimeout(), i -> { });
        PublisherErrors errors = new PublisherErrors();
        Fleet.Opened pubs = ctx.fleet().open("cross publishers",
                Clients.specs(ctx, "cross-pub", o.crossPublishers(), i -> List.of()), errors, o.stepTimeout(), i -> { });
        List<Windowed> publishers = new ArrayList<>();
        for (int i = 0; i < pubs.clients().length(); i++) {
            if (pubs.get(i) != null) {
                publishers.add(new Windowed(pubs.get(i), o.publishWindow()));
            }
        }
        try {
            if (publishers.isEmpty() || subs.connected() == 0) {
                throw new IllegalStateException("cross: no publisher or no subscriber connected: "
                        + pubs.firstFailure() + " / " + subs.firstFailure());
            }
            long warmCount = Math.round(o.crossRate() * o.warmup().toNanos() / 1e9);
            if (warmCount > 0) {
                Phase warm = drive(ctx, publishers, 1, warmCount, "cross warm-up");
                awaitDeliveries(ctx, "cross warm-up deliveries", d, warm.sent() * subs.connected());
                d.resetCounts();
                errors.reset();
            }
            long count = Math.max(1, Math.round(o.crossRate() * o.duration().toNanos() / 1e9));
            WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name() + "->"
                    + ctx.subscriberDriver().name());
            ctx.profileStart();
            ServerProbe.Cpu[] cpu = {ctx.probe().cpu(), ServerProbe.self().cpu(), null, null};
            Phase measured = drive(ctx, publishers, 1 + warmCount, count, "cross measured");
            boolean complete = awaitDeliveries(ctx, "cross deliveries", d, measured.sent() * subs.connected());
            measured.awaitAnswers(ctx);
            cpu[2] = ctx.probe().cpu();
            cpu[3] = ServerProbe.self().cpu();
            ctx.profileStop(r);
            r.put("rate_target", o.crossRate()).put("publishers", publishers.size())
                    .put("subscribers", o.crossSubscribers()).put("subscribers_open", subs.connected())
                    .put("payload_bytes", o.payloadBytes());
            return report(r, d, measured, errors, cpu, complete);
        } finally {
            publishers.forEach(w -> w.connection.drop());
            Clients.dropAll(ctx, subs);
        }
    }

    private static WorkloadResult report(WorkloadResult r, Deliveries d, Phase p, PublisherErrors errors,
                                         ServerProbe.Cpu[] cpu, boolean complete) {
        long subscribers = ((Number) r.figures().get("subscribers_open")).longValue();
        long expected = p.sent() * subscribers;
        long delivered = d.total();
        Histogram latency = p.latencyOf(d);
        Histogram lag = p.sendLag.getIntervalHistogram();
        r.put("messages", p.sent())
                .put("seconds", Clients.round(p.sendSeconds, 3))
                .put("messages_per_second", Clients.round(p.sent() / p.sendSeconds, 0))
                .put("acknowledged", p.ok.sum())
                .put("publish_failures", p.failed.sum())
                .put("unanswered", p.sent() - p.ok.sum() - p.failed.sum())
                .put("refused_on_error_topic", errors.total.sum())
                .put("errors_by_code", new TreeMap<>(errors.byCode).toString())
                .put("deliveries_expected", expected)
                .put("deliveries", delivered)
                .put("lost", expected - delivered)
                .put("gaps", d.gaps())
                .put("duplicates", d.duplicates())
                .put("closed_by_server", d.closes() + errors.closes.sum())
                .put("last_close", d.lastClose())
                .put("last_error", d.lastError())
                .put("send_lag_p99_ms", Clients.ms(lag.getValueAtPercentile(99)))
                .put("held_by_window_max", p.heldMax.get());
        if (cpu[0] != null && cpu[2] != null && p.sendSeconds > 0) {
            long cpuMs = cpu[2].totalMs() - cpu[0].totalMs();
            r.put("server_cpu_ms", cpuMs).put("server_cpu_us_per_message", Clients.round(cpuMs * 1000.0 / Math.max(1, p.sent()), 2));
        }
        if (cpu[1] != null && cpu[3] != null) {
            r.put("client_cpu_ms", cpu[3].totalMs() - cpu[1].totalMs());
        }
        if (!complete) {
            r.put("note", "deliveries stopped before every message arrived");
        }
        Clients.latencyFigures(latency).forEach(r::put);
        r.latency(latency);
        // No delivery measured is no latency at all, not a p99 of 0: the check must not pass then.
        double p99 = latency.getTotalCount() > 0 ? Clients.ms(latency.getValueAtPercentile(99)) : Double.NaN;
        r.below("p99 latency", p99, P99_TARGET_MS, "ms");
        r.atMost("lost deliveries", expected - delivered, 0, "messages");
        return r;
    }

    /** Sends {@code count} messages on schedule from this thread, round robin over the publishers. */
    private static Phase drive(LoadContext ctx, List<Windowed> publishers, long firstNumber, long count,
                               String step) {
        LoadOptions o = ctx.options();
        Phase p = new Phase();
        OpenLoop loop = OpenLoop.startingNow(o.crossRate());
        try (Progress progress = Progress.start(ctx.progress(), step, p::status)) {
            for (long i = 0; i < count; i++) {
                long due = loop.awaitTurn(i, p.sendLag);
                byte[] payload = Payloads.make(firstNumber + i, due, o.payloadBytes());
                publishers.get((int) (i % publishers.size())).offer(payload, p);
                p.sent.increment();
            }
        }
        p.sendSeconds = loop.secondsSinceStart();
        return p;
    }

    /** Waits until {@code expected} deliveries, the count stops moving for 5 s, or the step timeout. */
    private static boolean awaitDeliveries(LoadContext ctx, String step, Deliveries d, long expected)
            throws InterruptedException {
        long[] last = {-1, System.nanoTime()};
        Clients.await(ctx, step, () -> {
            long now = System.nanoTime();
            long total = d.total();
            if (total != last[0]) {
                last[0] = total;
                last[1] = now;
            }
            return total >= expected || now - last[1] > STALL_NANOS;
        }, () -> d.total() + "/" + expected + " delivered");
        return d.total() >= expected;
    }

    /** One phase's counters; answers arrive on the driver's I/O threads. */
    private static final class Phase {
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Recorder sendLag = new Recorder(MAX_MICROS, 3);
        final AtomicInteger heldMax = new AtomicInteger();
        double sendSeconds;

        long sent() {
            return sent.sum();
        }

        String status() {
            return sent.sum() + " sent, " + ok.sum() + " acknowledged, " + failed.sum() + " failed";
        }

        Histogram latencyOf(Deliveries d) {
            return d.takeLatency();
        }

        /** Acknowledgements trail the deliveries a little; waits (bounded) for them. */
        void awaitAnswers(LoadContext ctx) throws InterruptedException {
            Clients.await(ctx, "cross acknowledgements", () -> ok.sum() + failed.sum() >= sent.sum(), this::status);
        }
    }

    /**
     * One publisher with at most {@code window} publishes unanswered; the rest wait here in order
     * and leave as answers come back (on the driver's I/O thread).
     */
    private static final class Windowed {
        final ClientConnection connection;
        private final int window;
        private final ArrayDeque<byte[]> held = new ArrayDeque<>();
        private int inFlight;

        Windowed(ClientConnection connection, int window) {
            this.connection = connection;
            this.window = window;
        }

        void offer(byte[] payload, Phase p) {
            synchronized (this) {
                if (inFlight >= window) {
                    held.add(payload);
                    p.heldMax.accumulateAndGet(held.size(), Math::max);
                    return;
                }
                inFlight++;
            }
            send(payload, p);
        }

        private void send(byte[] payload, Phase p) {
            connection.publish(ROOM, payload).whenComplete((seq, e) -> {
                if (e != null) {
                    // The connection is gone: what it holds cannot leave either (and no send recurses here).
                    p.failed.increment();
                    synchronized (this) {
                        p.failed.add(held.size());
                        held.clear();
                        inFlight--;
                    }
                    return;
                }
                p.ok.increment();
                byte[] next;
                synchronized (this) {
                    next = held.poll();
                    if (next == null) {
                        inFlight--;
                    }
                }
                if (next != null) {
                    send(next, p);
                }
            });
        }
    }

    /** What the publishers hear on PlayConnect's error topic: refused commands, by code. */
    private static final class PublisherErrors implements ClientListener {
        final LongAdder total = new LongAdder();
        final LongAdder closes = new LongAdder();
        final Map<String, Long> byCode = new ConcurrentHashMap<>();

        @Override
        public void onError(int client, String code, String message) {
            total.increment();
            byCode.merge(code, 1L, Long::sum);
        }

        @Override
        public void onClosed(int client, int code, String reason) {
            closes.increment();
        }

        void reset() {
            total.reset();
            byCode.clear();
        }
    }
}
