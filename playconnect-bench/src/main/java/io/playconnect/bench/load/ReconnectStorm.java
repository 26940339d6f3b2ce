package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntToLongFunction;

/**
 * Reconnect storm: many clients in one room are dropped at once (a reset, as when a network
 * path fails), events are published while they are away, and all of them reconnect at once with
 * their last position. A client is resumed once it has the newest event again (over a protocol
 * without replay: once it is subscribed again). Checks the time until the last one resumed and
 * that no client misses an event, then publishes more to see that live delivery goes on.
 */
final class ReconnectStorm implements Workload {
    static final String ROOM = "chat.storm";
    static final double RESUME_TARGET_SECONDS = 2;

    @Override
    public String name() {
        return "storm";
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        int n = ctx.options().stormClients();
        int events = ctx.options().stormEvents();
        boolean replays = ctx.driver().resumes();
        Deliveries d = new Deliveries(n, ROOM);
        List<ClientSpec> specs = Clients.specs(ctx, "storm", n, i -> List.of(ROOM));
        Fleet.Opened first = ctx.fleet().open("storm connect", specs, d, ctx.options().stepTimeout(), i -> { });
        ClientConnection publisher = Clients.publisher(ctx, "storm-publisher");
        Reconnected again = null;
        try {
            Clients.Published before = Clients.publish(ctx, publisher, ROOM, events, 1);
            Clients.awaitTotal(ctx, "storm events before the drop", d, (long) first.connected() * before.ok());

            List<ClientSpec> resumeSpecs = resumeSpecs(specs, d, first);
            Clients.dropAll(ctx, first);
            Clients.Published gap = Clients.publish(ctx, publisher, ROOM, events, 1L + events);
            d.catchUpTo(replays ? gap.lastSeq() : 2L * events, true);
            again = reconnect(ctx, d, resumeSpecs);

            Clients.Published after = Clients.publish(ctx, publisher, ROOM, events, 1L + 2L * events);
            long finalHead = replays ? after.lastSeq() : 3L * events;
            Fleet.Opened reopened = again.opened();
            Clients.await(ctx, "storm events after the reconnect", () -> behind(d, reopened, finalHead) == 0,
                    () -> behind(d, reopened, finalHead) + " clients behind");
            return report(again, d, first, List.of(before, gap, after), finalHead, replays);
        } finally {
            publisher.drop();
            if (again != null) {
                Clients.dropAll(ctx, again.opened());
            }
        }
    }

    /** The reconnected clients, when each was subscribed and resumed, and the result with the profile. */
    private record Reconnected(Fleet.Opened opened, Histogram resume, Histogram subscribed, WorkloadResult result) {
    }

    /** Reconnects every client at once and waits (bounded) until each has resumed. */
    private Reconnected reconnect(LoadContext ctx, Deliveries d, List<ClientSpec> resumeSpecs) throws InterruptedException {
        int n = resumeSpecs.size();
        boolean replays = ctx.driver().resumes();
        ctx.profileStart();
        long t0 = System.nanoTime();
        AtomicLongArray subscribedAt = new AtomicLongArray(n);
        Fleet.Opened opened = ctx.fleet().open("storm reconnect", resumeSpecs, d, ctx.options().stepTimeout(), i -> {
            long now = System.nanoTime();
            subscribedAt.set(i, now);
            if (!replays) {
                d.markCaughtUp(i, now);
            }
        });
        Clients.await(ctx, "storm resume", () -> d.caughtUpCount() >= opened.connected(),
                () -> d.caughtUpCount() + "/" + opened.connected() + " resumed");
        WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
        ctx.profileStop(r);
        return new Reconnected(opened, sinceStart(d::caughtUpAt, n, t0), sinceStart(subscribedAt::get, n, t0), r);
    }

    /** {@code published}: before the drop, while away, after the reconnect. */
    private static WorkloadResult report(Reconnected again, Deliveries d, Fleet.Opened first,
                                         List<Clients.Published> published, long finalHead, boolean replays) {
        int n = first.clients().length();
        Histogram resume = again.resume();
        long behind = behind(d, again.opened(), finalHead);
        WorkloadResult r = again.result()
                .put("clients", n)
                .put("clients_open_before", first.connected())
                .put("reconnected", again.opened().connected())
                .put("reconnect_failures", again.opened().failed())
                .put("first_failure", again.opened().firstFailure())
                .put("server_replays", replays)
                .put("events_before_drop", published.get(0).ok())
                .put("events_while_away", published.get(1).ok())
                .put("events_after_reconnect", published.get(2).ok())
                .put("publish_failures", published.stream().mapToInt(Clients.Published::failed).sum())
                .put("resumed", d.caughtUpCount())
                .put("resume_all_seconds", Clients.round(resume.getMaxValue() / 1e6, 3))
                .put("resume_p50_ms", Clients.ms(resume.getValueAtPercentile(50)))
                .put("resume_p99_ms", Clients.ms(resume.getValueAtPercentile(99)))
                .put("subscribed_p50_ms", Clients.ms(again.subscribed().getValueAtPercentile(50)))
                .put("subscribed_p99_ms", Clients.ms(again.subscribed().getValueAtPercentile(99)))
                .put("missed_events", d.gaps())
                .put("duplicates", d.duplicates())
                .put("snapshots_instead_of_replay", d.snapshotsOnResume())
                .put("clients_behind_at_end", behind)
                .latency(resume);
        r.atMost("all resumed within", resume.getMaxValue() / 1e6, RESUME_TARGET_SECONDS, "s");
        r.atMost("clients not reconnected", n - again.opened().connected(), 0, "clients");
        r.atMost("missed events", d.gaps() + behind, 0, "events");
        return r;
    }

    /** The same clients, each resuming from the last position it saw (where the protocol has positions). */
    private static List<ClientSpec> resumeSpecs(List<ClientSpec> specs, Deliveries d, Fleet.Opened first) {
        List<ClientSpec> out = new ArrayList<>(specs.size());
        for (ClientSpec s : specs) {
            String epoch = d.epoch(s.index());
            Map<String, ClientSpec.Position> at = epoch == null || first.get(s.index()) == null ? Map.of()
                    : Map.of(ROOM, new ClientSpec.Position(epoch, d.lastSeq(s.index())));
            out.add(new ClientSpec(s.index(), s.user(), s.localAddress(), s.rooms(), at));
        }
        return out;
    }

    /** Time from the start of the reconnect to each client's moment ({@code nanoTime}, 0 for none), in microseconds. */
    private static Histogram sinceStart(IntToLongFunction moment, int n, long t0) {
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < n; i++) {
            long at = moment.applyAsLong(i);
            if (at > 0) {
                h.recordValue(Math.min(60_000_000L, Math.max(0, (at - t0) / 1000)));
            }
        }
        return h;
    }

    private static long behind(Deliveries d, Fleet.Opened open, long head) {
        long behind = 0;
        for (int i = 0; i < open.clients().length(); i++) {
            if (open.get(i) != null && d.lastSeq(i) < head) {
                behind++;
            }
        }
        return behind;
    }
}
