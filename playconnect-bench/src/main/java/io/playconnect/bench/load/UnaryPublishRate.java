package io.playconnect.bench.load;

import io.grpc.Status;
import org.HdrHistogram.Histogram;

import java.util.TreeMap;

/**
 * Unary publish at a fixed rate: one request every 1/rate seconds, spread round robin over
 * {@code unaryRooms} rooms, for the warm-up and then the measured duration. Open loop: a request
 * leaves at its scheduled time whether or not earlier ones were answered, and its latency counts
 * from that scheduled time, so a stall shows up in the percentiles instead of slowing the sender
 * down (no coordinated omission). Latency covers answered requests; failures are counted by code.
 */
final class UnaryPublishRate implements Workload {
    static final String ROOM_PREFIX = "chat.unary";

    @Override
    public String name() {
        return "unary";
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        if (!(ctx.driver() instanceof UnaryPublishing unary)) {
            throw new IllegalArgumentException("workload unary needs a driver with unary calls (--driver grpc), not "
                    + ctx.driver().name());
        }
        LoadOptions o = ctx.options();
        String[] rooms = new String[o.unaryRooms()];
        for (int i = 0; i < rooms.length; i++) {
            rooms[i] = ROOM_PREFIX + i;
        }
        long warmCount = Math.round(o.unaryRate() * o.warmup().toNanos() / 1e9);
        if (warmCount > 0) {
            RequestPhase warm = drive(ctx, unary, rooms, "w", warmCount);
            warm.awaitAnswers(ctx, "unary warm-up");
        }
        ctx.profileStart();
        ServerProbe.Cpu cpu0 = ctx.probe().cpu();
        ServerProbe.Cpu self0 = ServerProbe.self().cpu();
        long count = Math.max(1, Math.round(o.unaryRate() * o.duration().toNanos() / 1e9));
        RequestPhase measured = drive(ctx, unary, rooms, "m", count);
        boolean allAnswered = measured.awaitAnswers(ctx, "unary");
        ServerProbe.Cpu cpu1 = ctx.probe().cpu();
        ServerProbe.Cpu self1 = ServerProbe.self().cpu();
        WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
        ctx.profileStop(r);
        return report(r, o, measured, allAnswered, new ServerProbe.Cpu[] {cpu0, cpu1, self0, self1});
    }

    /** Sends {@code count} requests on schedule from this thread; answers are counted as they arrive. */
    private static RequestPhase drive(LoadContext ctx, UnaryPublishing unary, String[] rooms, String tag, long count) {
        LoadOptions o = ctx.options();
        RequestPhase p = new RequestPhase(count, UnaryPublishRate::code);
        OpenLoop loop = OpenLoop.startingNow(o.unaryRate());
        try (Progress progress = Progress.start(ctx.progress(), "unary " + (tag.equals("w") ? "warm-up" : "measured"),
                p::status)) {
            for (long i = 0; i < count; i++) {
                long due = loop.awaitTurn(i, p.sendLag);
                byte[] payload = Payloads.make(i, due, o.payloadBytes());
                unary.publishUnary(rooms[(int) (i % rooms.length)], payload, tag + i)
                        .whenComplete((seq, e) -> p.answered(due, e));
                p.sent.increment();
            }
        }
        p.sendSeconds = loop.secondsSinceStart();
        return p;
    }

    /** {@code cpu}: the server's CPU before and after, then this process's. */
    private static WorkloadResult report(WorkloadResult r, LoadOptions o, RequestPhase p, boolean allAnswered,
                                         ServerProbe.Cpu[] cpu) {
        Histogram latency = p.latency.getIntervalHistogram();
        Histogram lag = p.sendLag.getIntervalHistogram();
        long failed = p.failed.sum();
        long answered = p.ok.sum() + failed;
        r.put("rate_target", o.unaryRate()).put("rooms", o.unaryRooms()).put("payload_bytes", o.payloadBytes())
                .put("requests", p.count)
                .put("seconds", Clients.round(p.sendSeconds, 3))
                .put("requests_per_second", Clients.round(p.count / p.sendSeconds, 0))
                .put("answered", answered)
                .put("ok", p.ok.sum())
                .put("errors", failed)
                .put("errors_by_code", new TreeMap<>(p.errorsByCode).toString())
                .put("first_error", p.firstError)
                .put("unanswered", p.count - answered)
                .put("send_lag_p99_ms", Clients.ms(lag.getValueAtPercentile(99)))
                .put("send_lag_max_ms", Clients.ms(lag.getMaxValue()));
        if (cpu[0] != null && cpu[1] != null && answered > 0) {
            long cpuMs = cpu[1].totalMs() - cpu[0].totalMs();
            r.put("server_cpu_ms", cpuMs)
                    .put("server_cpu_user_ms", cpu[1].userMs() - cpu[0].userMs())
                    .put("server_cpu_system_ms", cpu[1].systemMs() - cpu[0].systemMs())
                    .put("server_cpu_us_per_request", Clients.round(cpuMs * 1000.0 / answered, 3));
        }
        if (cpu[2] != null && cpu[3] != null && answered > 0) {
            r.put("client_cpu_us_per_request", Clients.round((cpu[3].totalMs() - cpu[2].totalMs()) * 1000.0 / answered, 3));
        }
        Clients.latencyFigures(latency).forEach(r::put);
        r.latency(latency);
        r.below("p99 latency", Clients.ms(latency.getValueAtPercentile(99)), 2.0, "ms");
        r.atMost("failed or unanswered requests", failed + (p.count - answered), 0, "requests");
        if (!allAnswered) {
            r.put("note", "not every request was answered within the step timeout");
        }
        return r;
    }

    /** The gRPC status code of a failed call, or the exception's class when it carries none. */
    private static String code(Throwable e) {
        Status s = Status.fromThrowable(e);
        return s.getCode() == Status.Code.UNKNOWN ? e.getClass().getSimpleName() : s.getCode().name();
    }
}
