package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The surge: many subscribers spread over many rooms, messages published open loop at a base rate
 * (after a warm-up at that rate, reported but not checked),
 * then a step up to the peak rate held for a while (the surge), then back to the base rate. Every
 * second is reported on its own (p99, deliveries, sends), so a surge that hurts for two seconds
 * shows. Afterwards: lost messages (every acknowledged message times its room's subscribers must
 * arrive, in order), and the server's live heap and open file descriptors before the clients,
 * with them connected before the surge, after the surge, and after they left: both must come back
 * to their baseline. With a long hold this is the soak.
 */
final class SurgeFanout implements Workload {
    static final String ROOM_PREFIX = "chat.surge";
    /** Heap "back to baseline" allows this much growth over the baseline, in KiB (GC leaves some slack). */
    static final long HEAP_SLACK_KB = 16 * 1024;

    /** What to run; {@link SurgeOptions} makes one from the command line. */
    record Settings(int subscribers, int rooms, int baseRate, int peakRate, Duration before, Duration hold,
                    Duration after, int publishers, double p99TargetMs) {
        Settings {
            if (rooms < 1 || subscribers < rooms) {
                throw new IllegalArgumentException("surge needs rooms >= 1 and subscribers >= rooms: " + rooms + ", " + subscribers);
            }
            if (baseRate < 1 || peakRate < baseRate) {
                throw new IllegalArgumentException("surge needs 1 <= base rate <= peak rate: " + baseRate + ", " + peakRate);
            }
            if (publishers < 1 || publishers > rooms) {
                throw new IllegalArgumentException("surge publishers must be in 1..rooms: " + publishers);
            }
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(hold, "hold");
            Objects.requireNonNull(after, "after");
        }
    }

    /** The server at one moment: live heap after a full GC (KiB), open file descriptors, RSS (KiB). */
    record Snapshot(long heapKb, long fds, long rssKb) {
    }

    private final Settings s;

    SurgeFanout(Settings settings) {
        this.s = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String name() {
        return "surge";
    }

    static String room(int i) {
        return ROOM_PREFIX + i;
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        Snapshot idle = snapshot(ctx);
        SurgeListener listener = new SurgeListener(s.subscribers());
        Fleet.Opened open = ctx.fleet().open("surge subscribers",
                Clients.specs(ctx, "surge", s.subscribers(), i -> List.of(room(i % s.rooms()))),
                listener, ctx.options().stepTimeout(), i -> { });
        List<ClientConnection> publishers = new ArrayList<>();
        SurgeListener publisherEvents = new SurgeListener(s.publishers());
        WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
        Snapshot connected;
        Snapshot afterSurge;
        SurgeRun run;
        try {
            for (int p = 0; p < s.publishers(); p++) {
                publishers.add(publisher(ctx, p, publisherEvents));
            }
            connected = snapshot(ctx);
            run = new SurgeRun(ctx, s, listener, publishers, subscribersPerRoom(open));
            run.drive();
            long expected = run.expectedDeliveries();
            Clients.pause(ctx.options().settle());
            afterSurge = snapshot(ctx);
            report(r, open, run, listener, expected);
            // A publisher the server closed (a slow consumer, say) explains failures that follow it.
            r.put("publishers_closed_by_server", publisherEvents.closes())
                    .put("publisher_problem", publisherEvents.lastProblem());
        } finally {
            publishers.forEach(ClientConnection::drop);
            Clients.dropAll(ctx, open);
        }
        Clients.pause(ctx.options().settle());
        Snapshot gone = snapshot(ctx);
        resources(r, idle, connected, afterSurge, gone);
        return r;
    }

    /** A client in no room, for publishing, whose errors and close are recorded. */
    private static ClientConnection publisher(LoadContext ctx, int index, ClientListener events)
            throws InterruptedException {
        ClientSpec spec = new ClientSpec(index, "surge-publisher-" + index, ctx.addresses().forClient(index), List.of());
        try {
            return ctx.driver().connect(spec, events).get(ctx.options().stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a surge publisher could not connect: " + e, e);
        }
    }

    /** How many of the connected subscribers each room has (the fleet may not have opened them all). */
    private int[] subscribersPerRoom(Fleet.Opened open) {
        int[] n = new int[s.rooms()];
        for (int i = 0; i < s.subscribers(); i++) {
            if (open.get(i) != null) {
                n[i % s.rooms()]++;
            }
        }
        return n;
    }

    private void report(WorkloadResult r, Fleet.Opened open, SurgeRun run, SurgeListener listener, long expected) {
        long delivered = listener.delivered();
        r.put("subscribers", s.subscribers()).put("subscribers_open", open.connected()).put("rooms", s.rooms())
                .put("base_rate", s.baseRate()).put("peak_rate", s.peakRate())
                .put("before_s", s.before().toSeconds()).put("hold_s", s.hold().toSeconds())
                .put("after_s", s.after().toSeconds())
                .put("published", run.sent()).put("acknowledged", run.acknowledged())
                .put("publish_failures", run.failed()).put("first_publish_failure", run.firstFailure())
                .put("publish_lag_max_ms", run.maxLagMs())
                .put("deliveries_expected", expected).put("deliveries", delivered)
                .put("missing", expected - delivered).put("gaps", listener.gaps())
                .put("duplicates", listener.duplicates()).put("closed_by_server", listener.closes())
                .put("errors", listener.errors()).put("last_problem", listener.lastProblem());
        run.phaseFigures().forEach(r::put);
        Histogram measured = run.measuredLatency();
        Clients.latencyFigures(measured).forEach(r::put);
        r.latency(measured);
        r.attach("timeline", run.timelineText());
        r.below("p99 of the worst second", run.worstSecondP99Ms(), s.p99TargetMs(), "ms");
        r.atMost("missing deliveries", Math.max(0, expected - delivered) + listener.gaps(), 0, "messages");
        r.atMost("publish failures", run.failed(), 0, "messages");
    }

    private static void resources(WorkloadResult r, Snapshot idle, Snapshot connected, Snapshot afterSurge, Snapshot gone) {
        r.put("heap_kb_idle", idle.heapKb()).put("heap_kb_connected", connected.heapKb())
                .put("heap_kb_after_surge", afterSurge.heapKb()).put("heap_kb_after_disconnect", gone.heapKb())
                .put("fds_idle", idle.fds()).put("fds_connected", connected.fds())
                .put("fds_after_surge", afterSurge.fds()).put("fds_after_disconnect", gone.fds())
                .put("rss_kb_idle", idle.rssKb()).put("rss_kb_connected", connected.rssKb())
                .put("rss_kb_after_surge", afterSurge.rssKb()).put("rss_kb_after_disconnect", gone.rssKb());
        if (connected.heapKb() >= 0 && afterSurge.heapKb() >= 0) {
            r.atMost("heap after surge over connected baseline", afterSurge.heapKb() - connected.heapKb(), HEAP_SLACK_KB, "KiB");
            r.atMost("heap after disconnect over idle baseline", gone.heapKb() - idle.heapKb(), HEAP_SLACK_KB, "KiB");
        }
        if (connected.fds() >= 0) {
            r.atMost("fds after surge over connected baseline", afterSurge.fds() - connected.fds(), 0, "fds");
            r.atMost("fds after disconnect over idle baseline", gone.fds() - idle.fds(), 0, "fds");
        }
    }

    /** Live heap (after a full GC, JVM servers only), open descriptors and RSS of the server; -1 where unknown. */
    static Snapshot snapshot(LoadContext ctx) {
        ServerProbe probe = ctx.probe();
        ServerProbe.JvmMemory mem = probe.jvmMemory();
        return new Snapshot(mem == null ? -1 : mem.heapUsedKb(), openFds(probe), probe.rssKb());
    }

    private static long openFds(ServerProbe probe) {
        long pid = probe.pid();
        if (pid <= 0) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long seconds(Duration d) {
        return TimeUnit.MILLISECONDS.toSeconds(d.toMillis());
    }
}
