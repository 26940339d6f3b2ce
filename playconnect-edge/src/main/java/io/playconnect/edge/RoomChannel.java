package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.Subscription;
import io.playconnect.core.trace.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One room's live feed in this process. It holds the room's single broker subscription, keeps the
 * room's seq contiguous (a jump is repaired from the log before anything newer goes out) and hands
 * each record, as one {@link OutboundEvent}, to every local {@link RoomSubscriber}. All state is
 * confined to the channel's serial executor.
 */
final class RoomChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RoomChannel.class);
    private static final int REPAIR_PAGE = 256;
    private static final int RECENT = 128;
    private static final long RETRY_MILLIS = 50;

    private final EdgeRuntime rt;
    private final RoomId room;
    private final SerialExecutor executor;
    private final List<RoomSubscriber> subscribers = new ArrayList<>();
    // The subscribers whose principal may see presence: a join or leave walks only these, so a
    // room where nobody watches presence pays nothing per member change.
    private final List<RoomSubscriber> presenceWatchers = new ArrayList<>();
    // Scratch lists of deliver(), reused for every record (confined to the executor).
    private final List<RoomSubscriber> receivers = new ArrayList<>();
    private final List<ProtocolMeters> timed = new ArrayList<>(2);
    private final DrainBatch drains;
    private final ArrayDeque<LogRecord> early = new ArrayDeque<>();
    private final List<RoomSubscriber> waiting = new ArrayList<>();
    private final TreeMap<Long, LogRecord> held = new TreeMap<>();
    // Recently delivered events, so a session replaying recent history shares their encodings.
    private final OutboundEvent[] recent = new OutboundEvent[RECENT];
    /** Guarded by the fan-out's map entry (changed only inside {@code compute}). */
    int references;
    private Subscription records;
    private Subscription presence;
    private boolean ready;
    private boolean shut;
    private boolean repairing;
    private String epoch;
    private long lastSeq;

    RoomChannel(EdgeRuntime rt, RoomId room) {
        this.rt = rt;
        this.room = room;
        this.executor = new SerialExecutor(rt.pool);
        this.drains = new DrainBatch(rt.pool);
    }

    SerialExecutor executor() {
        return executor;
    }

    RoomId room() {
        return room;
    }

    EdgeRuntime runtime() {
        return rt;
    }

    void open() {
        // Subscribe before reading the log's head: whatever is stored after the read arrives live.
        records = rt.log.subscribe(room, record -> executor.execute(() -> onLive(record)));
        presence = rt.presence.subscribe(room, new PresenceStore.PresenceListener() {
            @Override
            public void onJoin(RoomId r, Member member) {
                executor.execute(() -> onPresence(new PresenceUpdate.Joined(member)));
            }

            @Override
            public void onLeave(RoomId r, Member member) {
                executor.execute(() -> onPresence(new PresenceUpdate.Left(member)));
            }
        });
        readHead();
    }

    private void readHead() {
        rt.log.info(room).whenComplete((info, err) -> executor.execute(() -> onHead(info, err)));
    }

    private void onHead(LogInfo info, Throwable err) {
        if (shut) {
            return;
        }
        if (err != null) {
            LOG.warn("cannot read the log head of {}; retrying", room, err);
            rt.timer.schedule(() -> executor.execute(this::readHead), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        epoch = info.epoch();
        lastSeq = info.lastSeq();
        ready = true;
        while (!early.isEmpty()) {
            onLive(early.poll());
        }
        for (RoomSubscriber s : waiting) {
            register(s);
        }
        waiting.clear();
    }

    void register(RoomSubscriber subscriber) {
        if (shut) {
            return;
        }
        if (!ready) {
            waiting.add(subscriber);
            return;
        }
        subscribers.add(subscriber);
        if (subscriber.canSeePresence()) {
            presenceWatchers.add(subscriber);
        }
        subscriber.start(this);
    }

    void unregister(RoomSubscriber subscriber) {
        subscribers.remove(subscriber);
        presenceWatchers.remove(subscriber);
        waiting.remove(subscriber);
    }

    /** After a token refresh: the new principal may have gained or lost the presence scope here. */
    void principalChanged(RoomSubscriber subscriber) {
        if (shut || !subscribers.contains(subscriber)) {
            return;
        }
        boolean watching = presenceWatchers.contains(subscriber);
        boolean sees = subscriber.canSeePresence();
        if (sees && !watching) {
            presenceWatchers.add(subscriber);
        } else if (!sees && watching) {
            presenceWatchers.remove(subscriber);
        }
    }

    void shutdown() {
        shut = true;
        if (records != null) {
            records.close();
        }
        if (presence != null) {
            presence.close();
        }
        subscribers.clear();
        presenceWatchers.clear();
        waiting.clear();
        held.clear();
        early.clear();
    }

    /** The shared event for a record read from the log: the live one when it is recent, else a new one. */
    OutboundEvent intern(LogRecord record) {
        OutboundEvent e = recent[(int) (record.seq() % RECENT)];
        if (e != null && e.seq() == record.seq() && e.epoch().equals(record.epoch())) {
            return e;
        }
        return new OutboundEvent(record, rt.metrics);
    }

    private void onLive(LogRecord record) {
        if (shut) {
            return;
        }
        if (!ready) {
            early.add(record);
            return;
        }
        if (!record.epoch().equals(epoch)) {
            // A new log (history lost): no repair across epochs; subscribers re-snapshot.
            epoch = record.epoch();
            lastSeq = record.seq() - 1;
            held.clear();
            repairing = false;
        }
        if (record.seq() <= lastSeq) {
            return;
        }
        if (repairing || record.seq() > lastSeq + 1) {
            held.put(record.seq(), record);
            if (!repairing) {
                repair();
            }
            return;
        }
        deliver(record);
    }

    private void deliver(LogRecord record) {
        if (!rt.labelsLogs()) {
            fanOut(record);
            return;
        }
        // Lines logged while handing this record out name its room and trace.
        LogContext.set(record.header(LogRecord.TRACEPARENT_HEADER), room.value(), null, null);
        try {
            fanOut(record);
        } finally {
            LogContext.clear();
        }
    }

    private void fanOut(LogRecord record) {
        lastSeq = record.seq();
        OutboundEvent event = new OutboundEvent(record, rt.metrics);
        recent[(int) (record.seq() % RECENT)] = event;
        for (int i = 0; i < subscribers.size(); i++) {
            RoomSubscriber s = subscribers.get(i);
            if (s.onRecord(event)) {
                receivers.add(s);
            }
        }
        // Counted before anything is queued, so the meters never lag what a client has seen.
        countDeliveries(event);
        DeliverySpans spans = rt.tracing.enabled() ? DeliverySpans.start(rt, record, receivers) : null;
        for (int i = 0; i < receivers.size(); i++) {
            receivers.get(i).emitLive(event, drains);
        }
        receivers.clear();
        if (spans != null) {
            spans.end();
        }
        // One hand-off per executor (event loop) for all of this event's sessions.
        drains.submit();
    }

    /** One increment per run of a protocol and one fan-out latency per protocol for the whole event. */
    private void countDeliveries(OutboundEvent event) {
        if (receivers.isEmpty()) {
            return;
        }
        long latency = rt.clock.millis() - event.timestamp();
        ProtocolMeters current = null;
        int run = 0;
        for (int i = 0; i < receivers.size(); i++) {
            ProtocolMeters m = receivers.get(i).meters();
            if (m != current) {
                if (current != null) {
                    current.delivered(run);
                }
                if (!timed.contains(m)) {
                    timed.add(m);
                    m.fanoutLatency(latency);
                }
                current = m;
                run = 0;
            }
            run++;
        }
        current.delivered(run);
        timed.clear();
    }

    private void repair() {
        repairing = true;
        long from = lastSeq + 1;
        int max = (int) Math.min(REPAIR_PAGE, held.firstKey() - from);
        String expected = epoch;
        rt.log.read(room, from, max).whenComplete((list, err) -> executor.execute(() -> onRepair(expected, from, list, err)));
    }

    private void onRepair(String expectedEpoch, long from, List<LogRecord> list, Throwable err) {
        if (shut || !repairing || !expectedEpoch.equals(epoch) || from != lastSeq + 1) {
            return;
        }
        if (err != null) {
            LOG.warn("cannot read {} from seq {} to repair a gap; retrying", room, from, err);
            rt.timer.schedule(() -> executor.execute(this::retryRepair), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (list.isEmpty()) {
            // No longer retained: skip ahead; each subscriber sees the jump and re-snapshots.
            lastSeq = held.firstKey() - 1;
        } else if (list.get(0).seq() > from) {
            lastSeq = Math.min(list.get(0).seq(), held.firstKey()) - 1;
        }
        for (LogRecord r : list) {
            if (r.epoch().equals(epoch) && r.seq() == lastSeq + 1 && r.seq() < held.firstKey()) {
                deliver(r);
            }
        }
        while (!held.isEmpty() && held.firstKey() <= lastSeq + 1) {
            Map.Entry<Long, LogRecord> next = held.pollFirstEntry();
            if (next.getKey() == lastSeq + 1) {
                deliver(next.getValue());
            }
        }
        repairing = false;
        if (!held.isEmpty()) {
            repair();
        }
    }

    private void retryRepair() {
        if (!shut && repairing && !held.isEmpty()) {
            repair();
        }
    }

    private void onPresence(PresenceUpdate update) {
        if (shut) {
            return;
        }
        for (int i = 0; i < presenceWatchers.size(); i++) {
            presenceWatchers.get(i).onPresence(update);
        }
    }

    /** Test hook (on the executor): how many subscribers presence updates go to. */
    int presenceWatcherCount() {
        return presenceWatchers.size();
    }

    /** Test hook: the seq of the last record handed to subscribers. */
    long lastSeq() {
        return lastSeq;
    }
}
