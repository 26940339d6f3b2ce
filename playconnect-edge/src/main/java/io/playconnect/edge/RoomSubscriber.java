package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.StreamPosition;
import io.playconnect.core.SyncException;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.Member;
import io.playconnect.edge.auth.Principal;
import io.playconnect.edge.auth.Scope;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One session in one room: the join (snapshot, or resume from a position) and then the live feed.
 * It is registered with the room's channel BEFORE it reads anything, buffers live records while it
 * reads, and merges the two by seq, so every seq reaches the session once and in order. Runs on the
 * room channel's executor, except {@link #deactivate()}.
 */
final class RoomSubscriber {
    private static final int MAX_SNAPSHOTS = 3;
    private static final int MAX_READ_RETRIES = 20;

    private enum State { STARTING, SNAPSHOTTING, CATCHING_UP, LIVE }

    private final EdgeSession session;
    private final RoomId room;
    private final StreamPosition since;
    // Used only while joining (null otherwise): a live subscriber holds neither, and a process
    // holds one subscriber per connection and room.
    private ArrayDeque<OutboundEvent> buffer;
    private ArrayDeque<OutboundEvent> pending;
    private volatile boolean active = true;
    private RoomChannel channel;
    private EdgeRuntime rt;
    private State state = State.STARTING;
    private String epoch;
    private long last;
    private boolean reachedLogEnd;
    private boolean joinedSent;
    private int snapshots;
    private int readRetries;
    private CompletableFuture<Void> presenceJoin;
    // canSeePresence for one principal: a refresh brings a new Principal instance, so it is re-checked.
    private Principal presenceCheckedFor;
    private boolean presenceAllowed;

    RoomSubscriber(EdgeSession session, RoomId room, StreamPosition since) {
        this.session = session;
        this.room = room;
        this.since = since;
    }

    RoomId room() {
        return room;
    }

    boolean isActive() {
        return active;
    }

    /** Stops every further output for this subscription, from any thread; the rest follows on the channel. */
    void deactivate() {
        active = false;
    }

    void start(RoomChannel roomChannel) {
        this.channel = roomChannel;
        this.rt = roomChannel.runtime();
        if (!active) {
            return;
        }
        if (since == null) {
            snapshot();
            return;
        }
        rt.log.info(room).whenComplete((info, err) -> channel.executor().execute(() -> onResumeHead(info, err)));
    }

    private void onResumeHead(LogInfo info, Throwable err) {
        if (!active) {
            return;
        }
        if (err != null) {
            fail(ErrorCode.UNAVAILABLE, "cannot read the room's history: " + err.getMessage());
            return;
        }
        boolean retained = info.epoch().equals(since.epoch())
                && since.seq() + 1 >= info.firstSeq() && since.seq() <= info.lastSeq();
        if (!retained) {
            snapshot();
            return;
        }
        epoch = since.epoch();
        last = since.seq();
        session.meters().resumed(true);
        sendJoined(epoch, last, true, null);
        catchUp();
    }

    private void snapshot() {
        if (++snapshots > MAX_SNAPSHOTS) {
            fail(ErrorCode.UNAVAILABLE, "the room's history keeps changing; join again");
            return;
        }
        state = State.SNAPSHOTTING;
        // Everything stored before this request is in the snapshot; keep only what comes after.
        buffer = null;
        pending = null;
        reachedLogEnd = false;
        rt.engine.fetchState(room, rt.limits.commandTimeout())
                .whenComplete((snap, err) -> channel.executor().execute(() -> onSnapshot(snap, err)));
    }

    private void onSnapshot(RoomSnapshot snap, Throwable err) {
        if (!active) {
            return;
        }
        if (err != null) {
            SyncException e = EngineCalls.asSync(err);
            fail(e.code(), e.getMessage());
            return;
        }
        if (since != null && snapshots == 1 && !joinedSent) {
            session.meters().resumed(false);
        }
        epoch = snap.epoch();
        last = snap.seq();
        sendJoined(epoch, last, false, snap);
        catchUp();
    }

    private void sendJoined(String e, long seq, boolean recovered, RoomSnapshot snap) {
        int size = 96 + (snap == null ? 0 : snap.state().length);
        session.outbound().offer(size, out -> {
            if (active) {
                out.joined(room, e, seq, recovered);
                if (snap != null) {
                    out.snapshot(snap);
                }
            }
        });
        if (!joinedSent) {
            joinedSent = true;
            joinPresence();
        }
    }

    /**
     * A live record from the channel (contiguous per epoch). True when it is this session's next
     * event: the channel then counts it and calls {@link #emitLive} with it, before any other record.
     */
    boolean onRecord(OutboundEvent event) {
        if (!active) {
            return false;
        }
        if (state != State.LIVE) {
            if (buffer != null && buffer.size() >= rt.catchUpWindow()) {
                // The log has them all: drop the buffer rather than grow, and read further instead.
                buffer.clear();
            }
            buffer().add(event);
            return false;
        }
        if (!event.epoch().equals(epoch)) {
            snapshot();
            buffer().add(event);
            return false;
        }
        if (event.seq() <= last) {
            return false;
        }
        if (event.seq() == last + 1) {
            last = event.seq();
            return true;
        }
        buffer().add(event);
        catchUp();
        return false;
    }

    /** Queues the event {@link #onRecord} accepted; the channel has counted it and starts the drain. */
    void emitLive(OutboundEvent event, DrainBatch batch) {
        session.outbound().offerEvent(this, event, batch);
    }

    /** On the session's output executor: the queued event goes out unless the subscription ended. */
    void write(SessionOutput out, OutboundEvent event) {
        if (active) {
            out.event(room, event);
        }
    }

    ProtocolMeters meters() {
        return session.meters();
    }

    private void catchUp() {
        state = State.CATCHING_UP;
        reachedLogEnd = false;
        continueCatchUp();
    }

    private void continueCatchUp() {
        while (active && state == State.CATCHING_UP) {
            if (!emitPending()) {
                return;
            }
            ArrayDeque<OutboundEvent> b = buffer();
            while (!b.isEmpty() && b.peek().epoch().equals(epoch) && b.peek().seq() <= last) {
                b.poll();
            }
            if (b.stream().anyMatch(e -> !e.epoch().equals(epoch))) {
                snapshot();
                return;
            }
            if (!b.isEmpty() && b.peek().seq() == last + 1) {
                pending().addAll(b);
                b.clear();
                reachedLogEnd = true;
                continue;
            }
            if (b.isEmpty() && reachedLogEnd) {
                state = State.LIVE;
                snapshots = 0;
                buffer = null;
                pending = null;
                return;
            }
            readPage();
            return;
        }
    }

    /** Emits what is pending while the session's queue has room; false when it must wait. */
    private boolean emitPending() {
        while (pending != null && !pending.isEmpty()) {
            if (!session.outbound().hasRoom()) {
                session.outbound().whenRoom(() -> channel.executor().execute(this::continueCatchUp));
                return false;
            }
            OutboundEvent e = pending.poll();
            if (e.seq() == last + 1) {
                emit(e);
            }
        }
        return true;
    }

    private ArrayDeque<OutboundEvent> buffer() {
        if (buffer == null) {
            buffer = new ArrayDeque<>();
        }
        return buffer;
    }

    private ArrayDeque<OutboundEvent> pending() {
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        return pending;
    }

    private void readPage() {
        long from = last + 1;
        int max = rt.catchUpWindow();
        rt.log.read(room, from, max)
                .whenComplete((list, err) -> channel.executor().execute(() -> onPage(from, max, list, err)));
    }

    private void onPage(long from, int max, List<LogRecord> list, Throwable err) {
        if (!active || state != State.CATCHING_UP || from != last + 1) {
            return;
        }
        if (err != null) {
            if (++readRetries > MAX_READ_RETRIES) {
                fail(ErrorCode.UNAVAILABLE, "cannot read the room's history: " + err.getMessage());
            } else {
                rt.timer.schedule(() -> channel.executor().execute(this::continueCatchUp), 50, TimeUnit.MILLISECONDS);
            }
            return;
        }
        readRetries = 0;
        if (!list.isEmpty() && (list.get(0).seq() != from || !list.get(0).epoch().equals(epoch))) {
            // Trimmed past our position, or a new epoch: the missing records are gone.
            snapshot();
            return;
        }
        for (LogRecord r : list) {
            pending().add(channel.intern(r));
        }
        reachedLogEnd = list.size() < max;
        continueCatchUp();
    }

    /** A replayed event (catch-up): counted one by one, unlike live ones. */
    private void emit(OutboundEvent event) {
        last = event.seq();
        session.meters().delivered(1);
        session.meters().fanoutLatency(rt.clock.millis() - event.timestamp());
        offer(event);
    }

    private void offer(OutboundEvent event) {
        session.outbound().offer(event.data().length + OutboundQueue.EVENT_OVERHEAD, out -> write(out, event));
    }

    private void joinPresence() {
        Principal p = session.principal();
        Member me = new Member(p == null ? "" : p.user(), session.connectionId(), session.protocol(),
                rt.gatewayId, rt.clock.millis());
        presenceJoin = rt.presence.join(room, me).handle((v, err) -> null);
        presenceJoin.thenRun(() -> channel.executor().execute(this::sendMembers));
    }

    private void sendMembers() {
        if (!active || !canSeePresence()) {
            return;
        }
        session.sendMembers(room, this);
    }

    void onPresence(PresenceUpdate update) {
        if (!active || !joinedSent || !canSeePresence()) {
            return;
        }
        Member m = update instanceof PresenceUpdate.Joined j ? j.member() : ((PresenceUpdate.Left) update).member();
        if (m.connectionId().equals(session.connectionId())) {
            return;
        }
        session.outbound().offer(128, out -> {
            if (active) {
                out.presence(room, update);
            }
        });
    }

    /** On the channel's executor. */
    boolean canSeePresence() {
        Principal p = session.principal();
        if (p == null) {
            return false;
        }
        if (p != presenceCheckedFor) {
            presenceAllowed = p.can(Scope.PRESENCE, room);
            presenceCheckedFor = p;
        }
        return presenceAllowed;
    }

    /** After deactivation, on the channel: takes the member out of the room (after its join, if one is in flight). */
    void leavePresence() {
        if (presenceJoin != null) {
            presenceJoin.thenCompose(v -> rt.presence.leave(room, session.connectionId()));
            presenceJoin = null;
        }
    }

    private void fail(ErrorCode code, String message) {
        if (!active) {
            return;
        }
        session.sendError(new EdgeError(code, "join " + room + " failed: " + message, null, room));
        session.subscriberFailed(this);
    }
}
