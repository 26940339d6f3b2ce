package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * Burst fan-out: one room, many subscribers, one publisher sending a round of messages as fast
 * as the protocol lets it (PlayConnect: within the window of unacknowledged commands). One warm-up
 * round, then a measured one: server CPU time per delivered message, throughput, latency.
 */
final class BurstFanout implements Workload {
    static final String ROOM = "chat.burst";

    @Override
    public String name() {
        return "burst";
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        int subs = ctx.options().subscribers();
        int messages = ctx.options().messages();
        Deliveries d = new Deliveries(subs, ROOM);
        Fleet.Opened open = ctx.fleet().open("burst subscribers", Clients.specs(ctx, "burst", subs, i -> List.of(ROOM)),
                d, ctx.options().stepTimeout(), i -> { });
        ClientConnection publisher = Clients.publisher(ctx, "burst-publisher");
        try {
            Clients.Published warm = Clients.publish(ctx, publisher, ROOM, messages, 1);
            Clients.awaitTotal(ctx, "burst warm-up", d, (long) open.connected() * warm.ok());
            d.resetCounts();

            ctx.profileStart();
            ServerProbe.Cpu cpu0 = ctx.probe().cpu();
            long t0 = System.nanoTime();
            Clients.Published round = Clients.publish(ctx, publisher, ROOM, messages, 1L + messages);
            long expected = (long) open.connected() * round.ok();
            Clients.awaitTotal(ctx, "burst", d, expected);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ServerProbe.Cpu cpu1 = ctx.probe().cpu();


            WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
            ctx.profileStop(r);
            return report(r.put("subscribers", subs).put("subscribers_open", open.connected()).put("messages", messages)
                    .put("payload_bytes", ctx.options().payloadBytes()), d, open, messages, new Clients.Published[] {warm, round},
                    seconds, new ServerProbe.Cpu[] {cpu0, cpu1});
        } finally {
            publisher.drop();
            Clients.dropAll(ctx, open);
        }
    }

    /** {@code rounds}: the warm-up and the measured round; {@code cpu}: the server's CPU before and after. */
    private static WorkloadResult report(WorkloadResult r, Deliveries d, Fleet.Opened open, int messages,
                                         Clients.Published[] rounds, double seconds, ServerProbe.Cpu[] cpu) {
        Clients.Published warm = rounds[0];
        Clients.Published round = rounds[1];
        long delivered = d.total();
        long expected = (long) open.connected() * messages;
        r.put("published", round.ok())
                .put("publish_failures", round.failed() + warm.failed())
                .put("first_publish_failure", round.firstFailure().isEmpty() ? warm.firstFailure() : round.firstFailure())
                .put("deliveries_expected", expected)
                .put("deliveries", delivered)
                .put("missing", expected - delivered)
                .put("gaps", d.gaps())
                .put("duplicates", d.duplicates())
                .put("seconds", Clients.round(seconds, 3))
                .put("deliveries_per_second", Clients.round(delivered / seconds, 0));
        if (cpu[0] != null && cpu[1] != null && delivered > 0) {
            long cpuMs = cpu[1].totalMs() - cpu[0].totalMs();
            r.put("server_cpu_ms", cpuMs)
                    .put("server_cpu_user_ms", cpu[1].userMs() - cpu[0].userMs())
                    .put("server_cpu_system_ms", cpu[1].systemMs() - cpu[0].systemMs())
                    .put("server_cpu_us_per_delivery", Clients.round(cpuMs * 1000.0 / delivered, 3));
        }
        Histogram latency = d.takeLatency();
        Clients.latencyFigures(latency).forEach(r::put);
        r.latency(latency);
        r.atMost("missing deliveries", expected - delivered + round.failed(), 0, "messages");
        return r;
    }
}
