package io.playconnect.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Idle density: many authenticated connections, each in {@code idleRooms} rooms (two for
 * WebSocket, one subscription for MQTT), doing nothing. Measures what
 * each costs the server: live heap plus native memory after a full GC (JVM servers), and RSS
 * growth. A smaller warm-up round first, so class loading and JIT are not charged to connections.
 */
final class IdleDensity implements Workload {
    static final long JVM_BYTES_TARGET = 4 * 1024;
    static final long RSS_BYTES_TARGET = 5 * 1024;
    /** MQTT (issue 7): live heap plus native at most 3 KB; RSS is reported beside the peers, with no target. */
    static final long MQTT_JVM_BYTES_TARGET = 3 * 1024;

    @Override
    public String name() {
        return "idle";
    }

    static List<String> rooms(int i) {
        return rooms(i, 2);
    }

    /** Small rooms of 100 first, then large rooms of a tenth of everyone: both kinds of membership. */
    static List<String> rooms(int i, int count) {
        List<String> rooms = new ArrayList<>(count);
        rooms.add("chat.idle-a" + (i / 100));
        for (int k = 1; k < count; k++) {
            rooms.add("chat.idle-" + (char) ('a' + k) + (i % 10));
        }
        return rooms;
    }

    @Override
    public WorkloadResult run(LoadContext ctx) throws InterruptedException {
        int n = ctx.options().connections();
        int roomCount = ctx.options().idleRooms();
        IntFunction<List<String>> rooms = i -> rooms(i, roomCount);
        Deliveries d = new Deliveries(n, "-");
        Fleet fleet = ctx.fleet();
        int warm = Math.min(1000, Math.max(1, n / 10));
        Fleet.Opened warmup = fleet.open("idle warm-up", Clients.specs(ctx, "warm", warm, rooms), d,
                ctx.options().stepTimeout(), i -> { });
        Clients.dropAll(ctx, warmup);
        // Profiling starts before the baseline, so the recorder's own buffers are not charged to connections.
        ctx.profileStart();
        Clients.pause(ctx.options().settle());
        long rss0 = ctx.probe().rssKb();
        ServerProbe.JvmMemory mem0 = ctx.probe().jvmMemory();
        Map<String, long[]> classes0 = ctx.probe().classHistogram();

        Fleet.Opened open = fleet.open("idle connect", Clients.specs(ctx, "idle", n, rooms), d,
                ctx.options().stepTimeout(), i -> { });
        Clients.pause(ctx.options().settle());
        WorkloadResult r = new WorkloadResult(name(), ctx.server(), ctx.driver().name());
        ctx.profileStop(r);
        long rss1 = ctx.probe().rssKb();
        ServerProbe.JvmMemory mem1 = ctx.probe().jvmMemory();
        Map<String, long[]> classes1 = ctx.probe().classHistogram();
        long stillOpen = countOpen(open);
        Clients.dropAll(ctx, open);

        r.put("connections_requested", n)
                .put("rooms_per_connection", roomCount)
                .put("connections_open", open.connected())
                .put("connections_failed", open.failed())
                .put("first_failure", open.firstFailure())
                .put("still_open_after_settle", stillOpen)
                .put("connect_seconds", Clients.round(open.took().toMillis() / 1000.0, 2))
                .put("connects_per_second", Clients.round(open.connected() / Math.max(0.001, open.took().toMillis() / 1000.0), 0));
        r.atMost("connections refused", open.failed(), 0, "connections");
        memoryFigures(r, open.connected(), new long[] {rss0, rss1}, mem0, mem1, ctx.driver() instanceof MqttDriver);
        if (!classes1.isEmpty() && open.connected() > 0) {
            r.attach("heap", heapGrowth(classes0, classes1, open.connected()));
        }
        return r;
    }

    /** RSS growth, and for a JVM live heap and native memory growth, per connection. */
    private static void memoryFigures(WorkloadResult r, int connected, long[] rss, ServerProbe.JvmMemory mem0,
                                      ServerProbe.JvmMemory mem1, boolean mqtt) {
        if (connected <= 0) {
            return;
        }
        if (rss[0] > 0) {
            double perConn = (rss[1] - rss[0]) * 1024.0 / connected;
            r.put("rss_before_kb", rss[0]).put("rss_after_kb", rss[1]).put("rss_bytes_per_connection", Clients.round(perConn, 0));
            if (!mqtt) {
                r.below("RSS growth per connection", Clients.round(perConn, 0), RSS_BYTES_TARGET, "bytes");
            }
        }
        if (mem0 != null && mem1 != null) {
            double perConn = (mem1.totalKb() - mem0.totalKb()) * 1024.0 / connected;
            r.put("heap_live_before_kb", mem0.heapUsedKb()).put("heap_live_after_kb", mem1.heapUsedKb())
                    .put("native_before_kb", mem0.nativeCommittedKb()).put("native_after_kb", mem1.nativeCommittedKb())
                    .put("heap_bytes_per_connection", Clients.round((mem1.heapUsedKb() - mem0.heapUsedKb()) * 1024.0 / connected, 0))
                    .put("native_bytes_per_connection",
                            Clients.round((mem1.nativeCommittedKb() - mem0.nativeCommittedKb()) * 1024.0 / connected, 0))
                    .put("jvm_bytes_per_connection", Clients.round(perConn, 0));
            r.atMost("live heap + native per connection", Clients.round(perConn, 0),
                    mqtt ? MQTT_JVM_BYTES_TARGET : JVM_BYTES_TARGET, "bytes");
        }
    }

    /** The classes whose live bytes grew most, per connection: where the heap per connection goes. */
    static String heapGrowth(Map<String, long[]> before, Map<String, long[]> after, int connections) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "live heap growth per connection by class (after a full GC; %d connections)%n%10s %12s  %s%n",
                connections, "bytes/conn", "objects/conn", "class"));
        long total = 0;
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] grown = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            total += grown[1];
            rows.add(Map.entry(e.getKey(), grown));
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        for (Map.Entry<String, long[]> e : rows.subList(0, Math.min(25, rows.size()))) {
            sb.append(String.format(Locale.ROOT, "%10.0f %12.2f  %s%n", (double) e.getValue()[1] / connections,
                    (double) e.getValue()[0] / connections, e.getKey()));
        }
        return sb.append(String.format(Locale.ROOT, "%10.0f %12s  (all classes)%n", (double) total / connections, "")).toString();
    }

    private static long countOpen(Fleet.Opened open) {
        long n = 0;
        for (int i = 0; i < open.clients().length(); i++) {
            ClientConnection c = open.get(i);
            if (c != null && c.isOpen()) {
                n++;
            }
        }
        return n;
    }
}
