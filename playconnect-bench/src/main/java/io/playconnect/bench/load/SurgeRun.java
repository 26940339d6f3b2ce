package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One surge's publishing and its per-second record. Messages are due on a fixed schedule (open
 * loop: message i of a phase is due at the phase's start + i / rate) and carry their due time, so
 * a late sender counts in the latency instead of hiding it. Each second the deliveries that
 * arrived in it are summarised on their own.
 */
final class SurgeRun {
    private static final long TICK_MICROS = 2_000;
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    /** The first phase, at the base rate: it warms the server up and is reported, not checked. */
    static final String WARMUP = "warmup";
    /** Seconds after the last phase while the last deliveries arrive: reported, not checked. */
    static final String DRAIN = "drain";
    /** Seconds of silence after the last phase that end the wait for the rest. */
    private static final int QUIET_SECONDS = 10;

    private record Phase(String name, int rate, long startNanos, long firstMessage, long messages) {
        long dueNanos(long message) {
            return startNanos + (message - firstMessage) * 1_000_000_000L / rate;
        }
    }

    private record Second(int index, String phase, int rate, long sent, long delivered, Histogram latency) {
    }

    private final LoadContext ctx;
    private final SurgeFanout.Settings s;
    private final SurgeListener listener;
    private final List<ClientConnection> publishers;
    private final int[] subscribersPerRoom;
    private final AtomicLongArray ackedPerRoom;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>("");
    private final List<Phase> phases = new ArrayList<>();
    private final List<Second> seconds = new ArrayList<>();
    private final Map<String, Histogram> byPhase = new LinkedHashMap<>();
    /** Every second's latencies but the warm-up's and the drain's. */
    private final Histogram measured = new Histogram(MAX_MICROS, 3);
    private long total;

    SurgeRun(LoadContext ctx, SurgeFanout.Settings settings, SurgeListener listener, List<ClientConnection> publishers,
             int[] subscribersPerRoom) {
        this.ctx = ctx;
        this.s = settings;
        this.listener = listener;
        this.publishers = publishers;
        this.subscribersPerRoom = subscribersPerRoom;
        this.ackedPerRoom = new AtomicLongArray(settings.rooms());
    }

    /**
     * Publishes the phases (warm-up, before, surge, after) on schedule, recording every second, then
     * waits for the rest: until everything acknowledged has arrived, 10 s pass without any progress,
     * or the step timeout.
     */
    void drive() throws InterruptedException {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        Duration warmup = ctx.options().warmup();
        addPhase(WARMUP, s.baseRate(), start, warmup);
        addPhase("before", s.baseRate(), start + warmup.toNanos(), s.before());
        addPhase("surge", s.peakRate(), phases.get(1).startNanos() + s.before().toNanos(), s.hold());
        addPhase("after", s.baseRate(), phases.get(2).startNanos() + s.hold().toNanos(), s.after());
        long end = phases.get(3).startNanos() + s.after().toNanos();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "surge-pacer");
            t.setDaemon(true);
            return t;
        });
        listener.takeLatency();
        try {
            pacer.scheduleAtFixedRate(this::sendDue, start - System.nanoTime(), TICK_MICROS * 1000, TimeUnit.NANOSECONDS);
            long deadline = end + ctx.options().stepTimeout().toNanos();
            long delivered0 = listener.delivered();
            long answered0 = 0;
            long sent0 = 0;
            int quiet = 0;
            for (int i = 0; System.nanoTime() < deadline; i++) {
                long tick = start + (i + 1) * 1_000_000_000L;
                sleepUntil(tick);
                long d = listener.delivered();
                long n = sent.get();
                long a = acknowledged.get() + failed.get();
                record(i, phaseAt(tick - 1), d - delivered0, n - sent0);
                // After the last phase, seconds without a delivery or an answer: nothing more is coming.
                quiet = tick >= end && d == delivered0 && a == answered0 ? quiet + 1 : 0;
                delivered0 = d;
                answered0 = a;
                sent0 = n;
                if (tick >= end && (quiet >= QUIET_SECONDS
                        || answered() && listener.delivered() >= expectedDeliveries())) {
                    break;
                }
                progress(i, tick, end);
            }
        } finally {
            pacer.shutdownNow();
        }
    }

    private void addPhase(String name, int rate, long startNanos, Duration length) {
        long messages = rate * length.toMillis() / 1000;
        phases.add(new Phase(name, rate, startNanos, total, messages));
        total += messages;
        byPhase.put(name, new Histogram(MAX_MICROS, 3));
    }

    /** On the pacer thread: sends every message whose due time has come. */
    private void sendDue() {
        long now = System.nanoTime();
        long next = sent.get();
        for (Phase p : phases) {
            while (next < p.firstMessage() + p.messages() && next >= p.firstMessage() && p.dueNanos(next) <= now) {
                send(p, next++);
            }
        }
    }

    private void send(Phase p, long message) {
        long due = p.dueNanos(message);
        maxLagNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
        int room = (int) (message % s.rooms());
        ClientConnection publisher = publishers.get(room % publishers.size());
        // Numbered per room (the position a protocol without server seqs reports), timed from its due time.
        byte[] payload = Payloads.make(message / s.rooms() + 1, due, ctx.options().payloadBytes());
        sent.incrementAndGet();
        publisher.publish(SurgeFanout.room(room), payload).whenComplete((seq, e) -> {
            if (e == null) {
                ackedPerRoom.incrementAndGet(room);
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet("", String.valueOf(e.getMessage()));
            }
        });
    }

    private boolean answered() {
        return sent.get() >= total && acknowledged.get() + failed.get() >= total;
    }

    private String phaseAt(long nanos) {
        String name = DRAIN;
        for (Phase p : phases) {
            if (nanos >= p.startNanos() && nanos < p.startNanos() + p.messages() * 1_000_000_000L / p.rate()) {
                name = p.name();
            }
        }
        return name;
    }

    private void record(int index, String phase, long delivered, long sentInSecond) {
        Histogram h = listener.takeLatency();
        int rate = phases.stream().filter(p -> p.name().equals(phase)).mapToInt(Phase::rate).findFirst().orElse(0);
        seconds.add(new Second(index, phase, rate, sentInSecond, delivered, h));
        if (!phase.equals(WARMUP) && !phase.equals(DRAIN)) {
            measured.add(h);
        }
        byPhase.computeIfAbsent(phase, k -> new Histogram(MAX_MICROS, 3)).add(h);
    }

    private void progress(int i, long tick, long end) {
        Second last = seconds.get(seconds.size() - 1);
        ctx.progress().printf("  surge %3d s %-6s %5d sent %7d delivered p99 %8.1f ms%s%n", i + 1, last.phase(), last.sent(),
                last.delivered(), Clients.ms(last.latency().getValueAtPercentile(99)),
                tick >= end ? " (waiting for the rest)" : "");
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Every acknowledged message times its room's subscribers. */
    long expectedDeliveries() {
        long n = 0;
        for (int r = 0; r < subscribersPerRoom.length; r++) {
            n += ackedPerRoom.get(r) * subscribersPerRoom[r];
        }
        return n;
    }

    long sent() {
        return sent.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get() + Math.max(0, total - sent.get());
    }

    String firstFailure() {
        return firstFailure.get();
    }

    double maxLagMs() {
        return Clients.round(maxLagNanos.get() / 1e6, 1);
    }

    Histogram measuredLatency() {
        return measured;
    }

    /** The worst per-second p99 of the measured phases (warm-up and drain are reported, not checked). */
    double worstSecondP99Ms() {
        return seconds.stream().filter(x -> !x.phase().equals(DRAIN) && !x.phase().equals(WARMUP)
                        && x.latency().getTotalCount() > 0)
                .mapToDouble(x -> Clients.ms(x.latency().getValueAtPercentile(99))).max().orElse(0);
    }

    /** p50/p99/max and the worst second's p99 of each phase. */
    Map<String, Object> phaseFigures() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Histogram> e : byPhase.entrySet()) {
            Histogram h = e.getValue();
            String k = e.getKey();
            m.put(k + "_deliveries", h.getTotalCount());
            m.put(k + "_p50_ms", Clients.ms(h.getValueAtPercentile(50)));
            m.put(k + "_p99_ms", Clients.ms(h.getValueAtPercentile(99)));
            m.put(k + "_max_ms", Clients.ms(h.getMaxValue()));
            m.put(k + "_worst_second_p99_ms", seconds.stream().filter(x -> x.phase().equals(k))
                    .mapToDouble(x -> Clients.ms(x.latency().getValueAtPercentile(99))).max().orElse(0));
        }
        return m;
    }

    /** One line per second: phase, target rate, sent, delivered, p50, p99, max. */
    String timelineText() {
        StringBuilder b = new StringBuilder("second phase  rate  sent  delivered  p50_ms  p99_ms  max_ms\n");
        for (Second x : seconds) {
            Histogram h = x.latency();
            b.append(String.format("%6d %-6s %5d %5d %10d %7.1f %7.1f %7.1f%n", x.index() + 1, x.phase(), x.rate(), x.sent(),
                    x.delivered(), Clients.ms(h.getValueAtPercentile(50)), Clients.ms(h.getValueAtPercentile(99)),
                    Clients.ms(h.getMaxValue())));
        }
        return b.toString();
    }
}
