package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway stand-in: records every call in order, encodes events like a gateway would (once per
 * protocol through {@link OutboundEvent#encoded}) and notices if the edge ever calls it concurrently
 * or after close.
 */
public final class RecordingOutput implements SessionOutput {
    public static final EncodingKey<String> TEXT = EncodingKey.create("test");

    public record Joined(RoomId room, String epoch, long seq, boolean recovered) {
    }

    public record Ack(String correlationId, RoomId room, String epoch, long seq) {
    }

    public record Presence(RoomId room, PresenceUpdate update) {
    }

    public record Delivered(RoomId room, OutboundEvent event, String encoded) {
    }

    public final List<Object> calls = Collections.synchronizedList(new ArrayList<>());
    /** The names of the threads the calls ran on, in call order (flushes not included). */
    public final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    private final Executor executor;
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicInteger inCall = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicBoolean calledAfterClose = new AtomicBoolean();
    private volatile CloseReason closed;
    private volatile Runnable onEvent = () -> { };

    /** Called on the edge's threads. */
    public RecordingOutput() {
        this(null);
    }

    /** Asks the edge to make every call on {@code executor} (a stand-in for an event loop). */
    public RecordingOutput(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    public int flushes() {
        return flushes.get();
    }

    private void record(Object call) {
        threads.add(Thread.currentThread().getName());
        if (inCall.incrementAndGet() != 1) {
            overlapped.set(true);
        }
        if (closed != null) {
            calledAfterClose.set(true);
        }
        calls.add(call);
        inCall.decrementAndGet();
    }

    /** Runs on every event call (e.g. to report the transport unwritable from inside a callback). */
    public void onEvent(Runnable action) {
        this.onEvent = action;
    }

    @Override
    public void joined(RoomId room, String epoch, long seq, boolean recovered) {
        record(new Joined(room, epoch, seq, recovered));
    }

    @Override
    public void snapshot(RoomSnapshot snapshot) {
        record(snapshot);
    }

    @Override
    public void event(RoomId room, OutboundEvent event) {
        String text = event.encoded(TEXT, bytes -> new String(bytes, StandardCharsets.UTF_8));
        record(new Delivered(room, event, text));
        onEvent.run();
    }

    @Override
    public void ack(String correlationId, RoomId room, String epoch, long seq) {
        record(new Ack(correlationId, room, epoch, seq));
    }

    @Override
    public void error(EdgeError error) {
        record(error);
    }

    @Override
    public void presence(RoomId room, PresenceUpdate update) {
        record(new Presence(room, update));
    }

    @Override
    public void close(CloseReason reason) {
        record(reason);
        closed = reason;
    }

    public CloseReason closed() {
        return closed;
    }

    public boolean overlapped() {
        return overlapped.get();
    }

    public boolean calledAfterClose() {
        return calledAfterClose.get();
    }

    public <T> List<T> all(Class<T> type) {
        synchronized (calls) {
            return calls.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    public List<Delivered> events(RoomId room) {
        return all(Delivered.class).stream().filter(d -> d.room().equals(room)).toList();
    }

    public List<Long> seqs(RoomId room) {
        return events(room).stream().map(d -> d.event().seq()).toList();
    }

    public List<Joined> joined(RoomId room) {
        return all(Joined.class).stream().filter(j -> j.room().equals(room)).toList();
    }

    public List<EdgeError> errors() {
        return all(EdgeError.class);
    }

    public List<Ack> acks() {
        return all(Ack.class);
    }

    public List<Presence> presence(RoomId room) {
        return all(Presence.class).stream().filter(p -> p.room().equals(room)).toList();
    }
}
