package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Paced fan-out: one room, many subscribers, messages at a steady rate (10/s to 10,000
 * subscribers is 100,000 deliveries/s). A warm-up period first, then the measured one: latency
 * from publish to delivery, and whether every subscriber got every message.
 */
final class PacedFanout implements Workload {
    static final String ROOM = "chat.paced";
    static final double P99_TARGET_MS = 50;

    @Override
    public String name() {
        return "paced";
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        int subs = ctx.options().pacedSubscribers();
        int rate = ctx.options().rate();
        Deliveries d = new Deliveries(subs, ROOM);
        Fleet.Opened open = ctx.fleet().open("paced subscribers", Clients.specs(ctx, "paced", subs, i -> List.of(ROOM)),
                d, ctx.options().stepTimeout(), i -> { });
        ClientConnection publisher = Clients.publisher(ctx, "paced-publisher");
        try {
            int warmCount = (int) (rate * ctx.options().warmup().toMillis() / 1000);
            Rate warm = publishAtRate(ctx, publisher, rate, warmCount, 1);
            Clients.awaitTotal(ctx, "paced warm-up", d, (long) open.connected() * warm.ok());
            d.resetCounts();

            int count = (int) Math.max(1, rate * ctx.options().duration().toMillis() / 1000);
            WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
            ctx.profileStart();
            ServerProbe.Cpu cpu0 = ctx.probe().cpu();
            ServerProbe.Cpu self0 = ServerProbe.self().cpu();
            long t0 = System.nanoTime();
            Rate round = publishAtRate(ctx, publisher, rate, count, 1L + warmCount);
            Clients.awaitTotal(ctx, "paced", d, (long) open.connected() * round.ok());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> cpu = cpuFigures(seconds, cpu0, ctx.probe().cpu(), self0, ServerProbe.self().cpu());
            ctx.profileStop(r);
            return report(r.put("subscribers", subs).put("subscribers_open", open.connected())
                    .put("rate_per_second", rate).put("target_deliveries_per_second", (long) rate * open.connected()),
                    d, open, count, new Rate[] {warm, round}, seconds, cpu);
        } finally {
            publisher.drop();
            Clients.dropAll(ctx, open);
        }
    }

    /** {@code rounds}: the warm-up and the measured round. */
    private static WorkloadResult report(WorkloadResult r, Deliveries d, Fleet.Opened open, int count, Rate[] rounds,
                                         double seconds, Map<String, Object> cpu) {
        long delivered = d.total();
        long expected = (long) open.connected() * count;
        Histogram latency = d.takeLatency();
        Rate warm = rounds[0];
        Rate round = rounds[1];
        r.put("messages", count)
                .put("published", round.ok())
                .put("publish_failures", round.failed() + warm.failed())
                .put("first_publish_failure", round.failure().isEmpty() ? warm.failure() : round.failure())
                .put("deliveries_expected", expected)
                .put("deliveries", delivered)
                .put("missing", expected - delivered)
                .put("gaps", d.gaps())
                .put("duplicates", d.duplicates())
                .put("closed_by_server", d.closes())
                .put("seconds", Clients.round(seconds, 2))
                .put("deliveries_per_second", Clients.round(delivered / seconds, 0));
        cpu.forEach(r::put);
        Clients.latencyFigures(latency).forEach(r::put);
        r.latency(latency);
        r.below("p99 latency", Clients.ms(latency.getValueAtPercentile(99)), P99_TARGET_MS, "ms");
        r.atMost("missing deliveries", expected - delivered, 0, "messages");
        return r;
    }

    /** Server CPU and, on a shared machine where it can be what limits latency, the load generator's own. */
    private static Map<String, Object> cpuFigures(double seconds, ServerProbe.Cpu cpu0, ServerProbe.Cpu cpu1,
                                                  ServerProbe.Cpu self0, ServerProbe.Cpu self1) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (cpu0 != null && cpu1 != null) {
            m.put("server_cpu_percent", Clients.round((cpu1.totalMs() - cpu0.totalMs()) / 10.0 / seconds, 1));
            m.put("server_cpu_system_percent", Clients.round((cpu1.systemMs() - cpu0.systemMs()) / 10.0 / seconds, 1));
        }
        if (self0 != null && self1 != null) {
            m.put("client_cpu_percent", Clients.round((self1.totalMs() - self0.totalMs()) / 10.0 / seconds, 1));
        }
        return m;
    }

    record Rate(int ok, int failed, String failure) {
    }

    /** Publishes {@code count} messages at {@code rate} per second and waits (bounded) for every answer. */
    static Rate publishAtRate(LoadContext ctx, ClientConnection publisher, int rate, int count, long firstNumber)
            throws InterruptedException {
        if (count <= 0) {
            return new Rate(0, 0, "");
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-pacer");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch answered = new CountDownLatch(count);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>("");
        int size = ctx.options().payloadBytes();
        try {
            timer.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                if (i >= count) {
                    return;
                }
                publisher.publish(ROOM, Payloads.make(firstNumber + i, System.nanoTime(), size)).whenComplete((seq, e) -> {
                    if (e == null) {
                        ok.incrementAndGet();
                    } else {
                        failure.compareAndSet("", String.valueOf(e.getMessage()));
                    }
                    answered.countDown();
                });
            }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
            long boundMs = count * 1000L / rate + ctx.options().stepTimeout().toMillis();
            try (Progress p = Progress.start(ctx.progress(), "publishing at " + rate + "/s",
                    () -> Math.min(sent.get(), count) + "/" + count + " sent")) {
                answered.await(boundMs, TimeUnit.MILLISECONDS);
            }
        } finally {
            timer.shutdownNow();
        }
        return new Rate(ok.get(), count - ok.get(), failure.get());
    }
}
