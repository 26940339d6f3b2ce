package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients of {@link ProbeCommand}: what they do and what they count. Subscriber {@code i} is in
 * room {@code i % rooms}; slow subscribers and two watchers (which keep reading) are in the busy
 * room. A closed client reconnects to the next gateway (every 0.5 s until it is back, while the run
 * lasts) and resumes from its last position; slow subscribers stay closed.
 */
final class ProbeRun {
    static final String ROOM_PREFIX = "chat.probe";
    static final String BUSY_ROOM = "chat.busy";
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final int WATCHERS = 2;

    record Settings(int rooms, int subscribersPerRoom, int publishers, int rate, Duration duration, Duration settle,
                    int slowSubscribers, Duration slowAfter, int busyRate, int payloadBytes) {
        Settings {
            if (rooms < 1 || subscribersPerRoom < 1 || publishers < 1 || publishers > rooms || rate < 1) {
                throw new IllegalArgumentException("rooms, subscribers-per-room, rate must be >= 1 and publishers in "
                        + "1..rooms: " + rooms + ", " + subscribersPerRoom + ", " + rate + ", " + publishers);
            }
            if (slowSubscribers < 0 || busyRate < 1) {
                throw new IllegalArgumentException("slow-subscribers must be >= 0 and busy-rate >= 1");
            }
        }
    }

    private final List<ProtocolDriver> drivers;
    private final Settings s;
    private final PrintStream progress;
    private final int normal;
    private final int total;
    private final AtomicReferenceArray<ClientConnection> subs;
    private final SequenceCheck sequence;
    private final AtomicReferenceArray<String> epochs;
    private final AtomicLongArray closedAt;
    private final AtomicReferenceArray<ClientConnection> pubs;
    private final AtomicLongArray roomLastAck;
    private final AtomicLongArray roomMaxGap;
    private final AtomicLongArray roomMaxAckedSeq;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "probe-timer");
        t.setDaemon(true);
        return t;
    });
    private final Recorder latency = new Recorder(MAX_MICROS, 3);
    private final Recorder watcherLatency = new Recorder(MAX_MICROS, 3);
    private final Histogram allLatency = new Histogram(MAX_MICROS, 3);
    private final Recorder reconnectMillis = new Recorder(TimeUnit.MINUTES.toMillis(10), 3);
    private final LongAdder acks = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicLong totalAcks = new AtomicLong();
    private final AtomicLong totalErrors = new AtomicLong();
    private final AtomicLong recovered = new AtomicLong();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong worstGapStartWall = new AtomicLong();
    private final Map<String, Long> errorsByCode = new ConcurrentHashMap<>();
    private final Map<String, Long> closesByCode = new ConcurrentHashMap<>();
    private final StringBuilder timeline = new StringBuilder(
            "second,wall_ms,acks,publish_errors,deliveries,delivery_p99_ms,subscribers_open,closes,reconnects\n");
    private volatile boolean running = true;
    private volatile long slowPausedAt;
    private final AtomicLong slowClosedLast = new AtomicLong();
    private final AtomicLong slowClosed = new AtomicLong();

    ProbeRun(List<ProtocolDriver> drivers, Settings s, PrintStream progress) {
        this.drivers = List.copyOf(drivers);
        this.s = s;
        this.progress = progress;
        this.normal = s.rooms() * s.subscribersPerRoom();
        this.total = normal + (s.slowSubscribers() > 0 ? s.slowSubscribers() + WATCHERS : 0);
        this.subs = new AtomicReferenceArray<>(total);
        this.sequence = new SequenceCheck(total);
        this.epochs = new AtomicReferenceArray<>(total);
        this.closedAt = new AtomicLongArray(total);
        this.pubs = new AtomicReferenceArray<>(s.publishers() + 1);
        this.roomLastAck = new AtomicLongArray(s.rooms() + 1);
        this.roomMaxGap = new AtomicLongArray(s.rooms() + 1);
        this.roomMaxAckedSeq = new AtomicLongArray(s.rooms() + 1);
    }

    private String roomOf(int client) {
        return client < normal ? ROOM_PREFIX + (client % s.rooms()) : BUSY_ROOM;
    }

    private boolean slow(int client) {
        return client >= normal + WATCHERS;
    }

    private static InetAddress address(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i % 20)});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> execute() throws InterruptedException {
        long wall0 = System.currentTimeMillis();
        for (int i = 0; i < total; i++) {
            connectSubscriber(i, i % drivers.size(), 0);
        }
        for (int p = 0; p < pubs.length(); p++) {
            connectPublisher(p, p % drivers.size());
        }
        awaitOpen();
        long t0 = System.nanoTime();
        for (int r = 0; r <= s.rooms(); r++) {
            roomLastAck.set(r, t0);
        }
        AtomicLong second = new AtomicLong();
        timer.scheduleAtFixedRate(() -> tick(second.incrementAndGet()), 1, 1, TimeUnit.SECONDS);
        if (s.slowSubscribers() > 0) {
            timer.schedule(this::pauseSlow, s.slowAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
        Thread busy = s.slowSubscribers() > 0 ? startBusyPublisher(t0) : null;
        publishUntil(t0, s.rate(), s.rooms(), false);
        if (busy != null) {
            busy.join(s.settle().toMillis());
        }
        long behind = awaitCaughtUp();
        running = false;
        timer.shutdownNow();
        return summary(wall0, behind);
    }

    private void awaitOpen() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end && (countOpen() < total || !publishersOpen())) {
            Thread.sleep(50);
        }
        progress.printf("probe: %d subscribers and %d publishers open%n", countOpen(), pubs.length());
    }

    private boolean publishersOpen() {
        for (int p = 0; p < pubs.length(); p++) {
            if (pubs.get(p) == null) {
                return false;
            }
        }
        return true;
    }

    private int countOpen() {
        int n = 0;
        for (int i = 0; i < total; i++) {
            ClientConnection c = subs.get(i);
            n += c != null && c.isOpen() ? 1 : 0;
        }
        return n;
    }

    // ------------------------------------------------------------------ subscribers

    private void connectSubscriber(int i, int driver, int attempt) {
        String room = roomOf(i);
        String epoch = epochs.get(i);
        Map<String, ClientSpec.Position> at = epoch == null ? Map.of()
                : Map.of(room, new ClientSpec.Position(epoch, sequence.last(i)));
        ClientSpec spec = new ClientSpec(i, "probe-sub" + i, address(i), List.of(room), at);
        drivers.get(driver).connect(spec, listener).whenComplete((c, e) -> {
            if (e == null) {
                subs.set(i, c);
            } else if (running && attempt < 600) {
                timer.schedule(() -> connectSubscriber(i, (driver + 1) % drivers.size(), attempt + 1), 500,
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    private final ClientListener listener = new ClientListener() {
        @Override
        public void onMessage(int client, String room, long seq, long sentNanos) {
            long micros = Math.min(MAX_MICROS, Math.max(0, (System.nanoTime() - sentNanos) / 1000));
            if (sentNanos > 0) {
                (client < normal ? latency : watcherLatency).recordValue(micros);
            }
            deliveries.increment();
            sequence.accept(client, seq);
        }

        @Override
        public void onJoined(int client, String room, String epoch, long seq, boolean resumed) {
            String before = epochs.getAndSet(client, epoch);
            long closed = closedAt.getAndSet(client, 0);
            if (closed > 0) {
                reconnectMillis.recordValue(Math.min(TimeUnit.MINUTES.toMillis(10), (System.nanoTime() - closed) / 1_000_000));
                reconnects.increment();
                (resumed ? recovered : snapshots).incrementAndGet();
            }
            if (before != null && !before.equals(epoch)) {
                sequence.forget(client);
            }
            sequence.joinedAt(client, seq);
        }

        @Override
        public void onClosed(int client, int code, String reason) {
            closes.increment();
            closesByCode.merge(Integer.toString(code), 1L, Long::sum);
            if (client < 0 || client >= total) {
                return;
            }
            if (slow(client)) {
                slowClosed.incrementAndGet();
                slowClosedLast.accumulateAndGet(System.nanoTime(), Math::max);
                return;
            }
            closedAt.compareAndSet(client, 0, System.nanoTime());
            if (running) {
                int next = (client + 1 + (int) reconnects.sum()) % drivers.size();
                timer.schedule(() -> connectSubscriber(client, next, 0), 100, TimeUnit.MILLISECONDS);
            }
        }
    };

    private void pauseSlow() {
        slowPausedAt = System.nanoTime();
        for (int i = normal + WATCHERS; i < total; i++) {
            ClientConnection c = subs.get(i);
            if (c != null) {
                c.pauseReading();
            }
        }
        progress.printf("probe: %d slow subscribers stopped reading%n", s.slowSubscribers());
    }

    // ------------------------------------------------------------------ publishers

    private void connectPublisher(int p, int driver) {
        ClientSpec spec = new ClientSpec(p, "probe-pub" + p, address(p), List.of());
        drivers.get(driver).connect(spec, new ClientListener() {
            @Override
            public void onClosed(int client, int code, String reason) {
                if (running) {
                    timer.schedule(() -> connectPublisher(p, (driver + 1) % drivers.size()), 100, TimeUnit.MILLISECONDS);
                }
            }
        }).whenComplete((c, e) -> {
            if (e == null) {
                pubs.set(p, c);
            } else if (running) {
                timer.schedule(() -> connectPublisher(p, (driver + 1) % drivers.size()), 500, TimeUnit.MILLISECONDS);
            }
        });
    }

    private Thread startBusyPublisher(long t0) {
        Thread t = new Thread(() -> publishUntil(t0, s.busyRate(), 1, true), "probe-busy");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Open loop: publish {@code i} is due at t0 + i/rate, until the duration has passed. */
    private void publishUntil(long t0, int rate, int rooms, boolean busy) {
        long end = t0 + s.duration().toNanos();
        OpenLoop loop = new OpenLoop(t0, rate);
        for (long i = 0; ; i++) {
            long due = loop.due(i);
            if (due >= end) {
                return;
            }
            OpenLoop.waitUntil(due);
            int r = busy ? s.rooms() : (int) (i % rooms);
            ClientConnection pub = pubs.get(busy ? s.publishers() : r % s.publishers());
            byte[] payload = Payloads.make(i, due, s.payloadBytes());
            if (pub == null || !pub.isOpen()) {
                failed("no_connection");
                continue;
            }
            pub.publish(busy ? BUSY_ROOM : ROOM_PREFIX + r, payload).whenComplete((seq, e) -> {
                if (e == null) {
                    acked(r, seq);
                } else {
                    String m = String.valueOf(e.getMessage());
                    int colon = m.indexOf(':');
                    failed(colon > 0 && colon < 40 ? m.substring(0, colon) : e.getClass().getSimpleName());
                }
            });
        }
    }

    private void acked(int room, long seq) {
        long now = System.nanoTime();
        acks.increment();
        totalAcks.incrementAndGet();
        roomMaxAckedSeq.accumulateAndGet(room, seq, Math::max);
        long gap = now - roomLastAck.getAndSet(room, now);
        if (gap > roomMaxGap.get(room)) {
            roomMaxGap.accumulateAndGet(room, gap, Math::max);
            if (gap >= maxGap()) {
                worstGapStartWall.set(System.currentTimeMillis() - gap / 1_000_000);
            }
        }
    }

    private void failed(String code) {
        errors.increment();
        totalErrors.incrementAndGet();
        errorsByCode.merge(code, 1L, Long::sum);
    }

    private long maxGap() {
        long m = 0;
        for (int r = 0; r < s.rooms(); r++) {
            m = Math.max(m, roomMaxGap.get(r));
        }
        return m;
    }

    // ------------------------------------------------------------------ timeline and end

    private synchronized void tick(long second) {
        Histogram h = latency.getIntervalHistogram();
        allLatency.add(h);
        timeline.append(second).append(',').append(System.currentTimeMillis()).append(',').append(acks.sumThenReset())
                .append(',').append(errors.sumThenReset()).append(',').append(deliveries.sumThenReset()).append(',')
                .append(Clients.ms(h.getValueAtPercentile(99))).append(',').append(countOpen()).append(',')
                .append(closes.sumThenReset()).append(',').append(reconnects.sumThenReset()).append('\n');
    }

    synchronized String timelineCsv() {
        return timeline.toString();
    }

    /** Waits (bounded by the settle time) until every reading subscriber has its room's last acked seq. */
    private long awaitCaughtUp() throws InterruptedException {
        long end = System.nanoTime() + s.settle().toNanos();
        long behind = behind();
        while (behind > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
            behind = behind();
        }
        return behind;
    }

    private long behind() {
        long n = 0;
        for (int i = 0; i < normal + (s.slowSubscribers() > 0 ? WATCHERS : 0); i++) {
            int room = i < normal ? i % s.rooms() : s.rooms();
            n += sequence.last(i) < roomMaxAckedSeq.get(room) ? 1 : 0;
        }
        return n;
    }

    private synchronized Map<String, Object> summary(long wall0, long behind) {
        Map<String, Object> m = new LinkedHashMap<>();
        Histogram reconnect = reconnectMillis.getIntervalHistogram();
        allLatency.add(latency.getIntervalHistogram());
        Histogram watchers = watcherLatency.getIntervalHistogram();
        long[] gapsMs = new long[s.rooms()];
        for (int r = 0; r < s.rooms(); r++) {
            gapsMs[r] = roomMaxGap.get(r) / 1_000_000;
        }
        java.util.Arrays.sort(gapsMs);
        m.put("started_wall_ms", wall0);
        m.put("settings", s.toString());
        m.put("acked", totalAcks.get());
        m.put("publish_errors", totalErrors.get());
        m.put("publish_errors_by_code", new TreeMap<>(errorsByCode).toString());
        m.put("longest_room_without_ack_ms", gapsMs[gapsMs.length - 1]);
        m.put("median_room_longest_without_ack_ms", gapsMs[gapsMs.length / 2]);
        m.put("longest_gap_started_wall_ms", worstGapStartWall.get());
        m.put("subscriber_closes_by_code", new TreeMap<>(closesByCode).toString());
        m.put("reconnects", reconnect.getTotalCount());
        m.put("reconnect_p50_ms", reconnect.getValueAtPercentile(50));
        m.put("reconnect_p99_ms", reconnect.getValueAtPercentile(99));
        m.put("reconnect_max_ms", reconnect.getMaxValue());
        m.put("resumed_with_replay", recovered.get());
        m.put("resumed_with_snapshot", snapshots.get());
        m.put("missed_events", sequence.gaps());
        m.put("duplicates", sequence.duplicates());
        m.put("subscribers_behind_at_end", behind);
        Clients.latencyFigures(allLatency).forEach(m::put);
        if (s.slowSubscribers() > 0) {
            long paused = slowPausedAt;
            long closedLast = slowClosedLast.get();
            m.put("slow_subscribers", s.slowSubscribers());
            m.put("slow_subscribers_closed", slowClosed.get());
            m.put("slow_closed_all_within_ms", closedLast > 0 && paused > 0 ? (closedLast - paused) / 1_000_000 : -1);
            m.put("watchers_p99_ms", Clients.ms(watchers.getValueAtPercentile(99)));
            m.put("watchers_max_ms", Clients.ms(watchers.getMaxValue()));
        }
        return m;
    }
}
