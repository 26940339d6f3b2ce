package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commands at a fixed offered rate through many rooms: {@code rooms} rooms with
 * {@code subscribersPerRoom} subscribers each (one connection per subscriber, in one room), and
 * {@code publishers} connections that publish (publisher {@code p} serves the rooms
 * {@code r} with {@code r % publishers == p}). Open loop: command {@code i} is due at
 * start + i/rate and goes to room {@code i % rooms} whether or not earlier ones were answered;
 * its latency runs from the due time (carried in the payload) to each subscriber's delivery, so a
 * stall of the server, the broker or the load generator counts in full. A warm-up at the same
 * rate comes first; only commands due in the measured window are counted.
 *
 * <p>The payload's number is the room's own counter, so a protocol without a per-room seq
 * (the JetStream peer) reports consecutive positions too and gaps are found the same way.
 */
final class CommandRate implements Workload {
    static final String ROOM_PREFIX = "chat.cmd";

    private final Settings settings;

    CommandRate(Settings settings) {
        this.settings = settings;
    }

    /**
     * One step: the offered rate, the layout and the p99 it is checked against.
     */
    record Settings(int rate, int rooms, int publishers, int subscribersPerRoom, double p99TargetMs) {
        Settings {
            if (rate < 1) {
                throw new IllegalArgumentException("commandRate must be >= 1: " + rate);
            }
            if (rooms < 1) {
                throw new IllegalArgumentException("commandRooms must be >= 1: " + rooms);
            }
            if (publishers < 1 || publishers > rooms) {
                throw new IllegalArgumentException("commandPublishers must be in 1..commandRooms (" + rooms + "): "
                        + publishers);
            }
            if (subscribersPerRoom < 1) {
                throw new IllegalArgumentException("roomSubscribers must be >= 1: " + subscribersPerRoom);
            }
            if (!(p99TargetMs > 0)) {
                throw new IllegalArgumentException("commandP99Ms must be > 0: " + p99TargetMs);
            }
        }
    }

    @Override
    public String name() {
        return "commands-" + settings.rate();
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        Settings s = settings;
        int subs = s.rooms() * s.subscribersPerRoom();
        RoomDeliveries d = new RoomDeliveries(subs);
        Fleet.Opened open = ctx.fleet().open("command subscribers",
                Clients.specs(ctx, "cmd-sub", subs, i -> List.of(room(i % s.rooms()))), d, ctx.options().stepTimeout(), i -> { });
        List<ClientConnection> publishers = new ArrayList<>();
        try {
            for (int p = 0; p < s.publishers(); p++) {
                publishers.add(connectPublisher(ctx, p));
            }
            long[] roomCounters = new long[s.rooms()];
            long warmCount = Math.round(s.rate() * ctx.options().warmup().toNanos() / 1e9);
            if (warmCount > 0) {
                RequestPhase warm = drive(ctx, publishers, roomCounters, warmCount, "warm-up");
                warm.awaitAnswers(ctx, name() + " warm-up");
            }
            long count = Math.max(1, Math.round(s.rate() * ctx.options().duration().toNanos() / 1e9));
            ctx.profileStart();
            ServerProbe.Cpu cpu0 = ctx.probe().cpu();
            ServerProbe.Cpu self0 = ServerProbe.self().cpu();
            long t0 = System.nanoTime();
            d.measureFrom(t0);
            RequestPhase measured = drive(ctx, publishers, roomCounters, count, "measured");
            d.measureUntil(System.nanoTime());
            boolean answered = measured.awaitAnswers(ctx, name());
            long expected = measured.ok.sum() * s.subscribersPerRoom();
            boolean delivered = Clients.await(ctx, name() + " deliveries", () -> d.measured() >= expected,
                    () -> d.measured() + "/" + expected + " delivered");
            double seconds = (System.nanoTime() - t0) / 1e9;
            WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
            ctx.profileStop(r);
            report(r, open, measured, d, expected, seconds);
            cpu(r, cpu0, ctx.probe().cpu(), self0, ServerProbe.self().cpu(), measured.count);
            if (!answered || !delivered) {
                r.put("note", "not everything was answered or delivered within the step timeout");
            }
            return r;
        } finally {
            publishers.forEach(ClientConnection::drop);
            Clients.dropAll(ctx, open);
        }
    }

    static String room(int r) {
        return ROOM_PREFIX + r;
    }

    private static ClientConnection connectPublisher(LoadContext ctx, int p) throws InterruptedException {
        ClientSpec spec = new ClientSpec(p, "cmd-publisher-" + p, ctx.addresses().forClient(p), List.of());
        try {
            return ctx.driver().connect(spec, new ClientListener() { })
                    .get(ctx.options().stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publisher " + p + " could not connect: " + e, e);
        }
    }

    /** Sends {@code count} commands on schedule from this thread; answers are counted as they arrive. */
    private RequestPhase drive(LoadContext ctx, List<ClientConnection> publishers, long[] roomCounters, long count, String tag) {
        Settings s = settings;
        RequestPhase p = new RequestPhase(count, CommandRate::code);
        int size = ctx.options().payloadBytes();
        OpenLoop loop = OpenLoop.startingNow(s.rate());
        try (Progress progress = Progress.start(ctx.progress(), name() + " " + tag, p::status)) {
            for (long i = 0; i < count; i++) {
                long due = loop.awaitTurn(i, p.sendLag);
                int r = (int) (i % s.rooms());
                byte[] payload = Payloads.make(++roomCounters[r], due, size);
                publishers.get(r % s.publishers()).publish(room(r), payload).whenComplete((seq, e) -> p.answered(due, e));
                p.sent.increment();
            }
        }
        p.sendSeconds = loop.secondsSinceStart();
        return p;
    }

    private void report(WorkloadResult r, Fleet.Opened open, RequestPhase p, RoomDeliveries d, long expected, double seconds) {
        Settings s = settings;
        Histogram latency = d.takeLatency();
        Histogram ack = p.latency.getIntervalHistogram();
        Histogram lag = p.sendLag.getIntervalHistogram();
        long delivered = d.measured();
        r.put("rate_target", s.rate()).put("rooms", s.rooms()).put("publishers", s.publishers())
                .put("subscribers_per_room", s.subscribersPerRoom())
                .put("subscribers_open", open.connected())
                .put("commands", p.count)
                .put("send_seconds", Clients.round(p.sendSeconds, 3))
                .put("commands_per_second_sent", Clients.round(p.count / p.sendSeconds, 0))
                .put("acked", p.ok.sum())
                .put("errors", p.failed.sum())
                .put("errors_by_code", new TreeMap<>(p.errorsByCode).toString())
                .put("first_error", p.firstError)
                .put("deliveries_expected", expected)
                .put("deliveries", delivered)
                .put("missing", Math.max(0, expected - delivered))
                .put("gaps", d.gaps())
                .put("duplicates", d.duplicates())
                .put("closed_by_server", d.closes())
                .put("client_errors", d.errors())
                .put("last_client_problem", d.lastProblem())
                .put("seconds", Clients.round(seconds, 2))
                .put("ack_p50_ms", Clients.ms(ack.getValueAtPercentile(50)))
                .put("ack_p99_ms", Clients.ms(ack.getValueAtPercentile(99)))
                .put("send_lag_p99_ms", Clients.ms(lag.getValueAtPercentile(99)))
                .put("send_lag_max_ms", Clients.ms(lag.getMaxValue()));
        Clients.latencyFigures(latency).forEach(r::put);
        r.latency(latency);
        r.atMost("p99 send to delivery", Clients.ms(latency.getValueAtPercentile(99)), s.p99TargetMs(), "ms");
        r.atMost("lost (missing + gaps + failed)", Math.max(0, expected - delivered) + d.gaps() + p.failed.sum()
                + (open.connected() < s.rooms() * s.subscribersPerRoom() ? 1 : 0), 0, "messages");
    }

    private static void cpu(WorkloadResult r, ServerProbe.Cpu cpu0, ServerProbe.Cpu cpu1, ServerProbe.Cpu self0,
                            ServerProbe.Cpu self1, long commands) {
        if (cpu0 != null && cpu1 != null) {
            r.put("server_cpu_us_per_command", Clients.round((cpu1.totalMs() - cpu0.totalMs()) * 1000.0 / commands, 1));
        }
        if (self0 != null && self1 != null) {
            r.put("client_cpu_us_per_command", Clients.round((self1.totalMs() - self0.totalMs()) * 1000.0 / commands, 1));
        }
    }

    /** The code of a failed command: the text before the colon of its message ("rate_limited: ..."). */
    private static String code(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int colon = m.indexOf(':');
        return colon > 0 && colon < 40 ? m.substring(0, colon) : e.getClass().getSimpleName();
    }
}
