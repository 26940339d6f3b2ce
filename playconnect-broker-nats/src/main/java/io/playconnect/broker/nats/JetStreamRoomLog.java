package io.playconnect.broker.nats;

import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.playconnect.broker.nats.LogEntries.Entry;
import io.playconnect.broker.nats.RoomHeads.Head;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogArguments;
import io.playconnect.core.spi.Subscription;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Room logs on one JetStream stream, one subject per room. See the package documentation and
 * docs/operations.md for the layout.
 *
 * <p><b>The fence.</b> An append is published with {@code Nats-Expected-Last-Subject-Sequence} set
 * to the stream sequence of the room's last message as this broker last saw it, and only when that
 * message is, as far as it knows, the record {@code expectedLastSeq} of the record's epoch. The
 * server stores it only if the subject's last message is still that one, so the check and the
 * write are one atomic step on the server. When the server refuses, the broker looks the head up
 * once and retries if the caller's expectation does hold (its own view was merely stale);
 * otherwise the append fails with {@link Reason#WRONG_LAST_SEQUENCE}. Epoch changes are fenced the
 * same way, because a reset writes a marker message that replaces the subject's content.
 */
final class JetStreamRoomLog implements RoomLog {
    private static final int CREATE_ATTEMPTS = 4;
    private final JetStreamBroker broker;
    private final JsApi api;
    private final Names names;
    private final RoomHeads heads = new RoomHeads();
    private final LogReader reader;

    JetStreamRoomLog(JetStreamBroker broker, JsApi api, Names names) {
        this.broker = broker;
        this.api = api;
        this.names = names;
        this.reader = new LogReader(this, api, names);
    }

    RoomHeads heads() {
        return heads;
    }

    LogReader reader() {
        return reader;
    }

    @Override
    public CompletableFuture<LogInfo> info(RoomId room) {
        try {
            Objects.requireNonNull(room, "room");
            broker.checkOpen();
            return info(room, CREATE_ATTEMPTS).handle(this::mapped).thenCompose(f -> f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<LogInfo> info(RoomId room, int attempts) {
        return ends(room).thenCompose(ends -> {
            if (ends.isPresent()) {
                return CompletableFuture.completedFuture(ends.get().info());
            }
            Head known = heads.get(room);
            if (known != null) {
                // Every record expired: the seq goes on where this broker saw it.
                heads.emptied(room, known);
                LogInfo kept = new LogInfo(known.epoch(), known.lastSeq() + 1, known.lastSeq());
                return CompletableFuture.completedFuture(kept);
            }
            return create(room, attempts);
        });
    }

    /** Opens the log with an epoch marker, unless another process opened it first. */
    private CompletableFuture<LogInfo> create(RoomId room, int attempts) {
        String epoch = Epochs.next();
        Headers h = LogEntries.markerHeaders(epoch, 1, 0L);
        return api.publish(names.logSubject(room), h, new byte[0]).handle((ack, err) -> {
            if (err == null) {
                heads.observe(room, new Head(epoch, 0, ack.getSeqno()));
                return CompletableFuture.completedFuture(new LogInfo(epoch, 1, 0));
            }
            if (Errors.apiCode(err) == Errors.WRONG_LAST_SEQUENCE && attempts > 1) {
                return info(room, attempts - 1);
            }
            return CompletableFuture.<LogInfo>failedFuture(Errors.map(err, "creating the log of " + room));
        }).thenCompose(f -> f);
    }

    /** The first and last entries of a room's subject, or empty when it has none. */
    record Ends(Entry first, Entry last) {
        LogInfo info() {
            return new LogInfo(last.epoch(), Math.min(first.firstSeq(), last.lastSeq() + 1), last.lastSeq());
        }
    }

    CompletableFuture<Optional<Ends>> ends(RoomId room) {
        return ends(room, CREATE_ATTEMPTS);
    }

    private CompletableFuture<Optional<Ends>> ends(RoomId room, int attempts) {
        String subject = names.logSubject(room);
        CompletableFuture<Optional<Entry>> first = entry(room, MessageGetRequest.firstForSubject(subject));
        CompletableFuture<Optional<Entry>> last = entry(room, MessageGetRequest.lastForSubject(subject));
        return first.thenCombine(last, (f, l) -> {
            if (l.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Ends>empty());
            }
            Entry lastEntry = l.get();
            observe(room, lastEntry);
            Entry firstEntry = f.orElse(lastEntry);
            if (firstEntry.epoch().equals(lastEntry.epoch()) || attempts <= 1) {
                return CompletableFuture.completedFuture(Optional.of(new Ends(
                        firstEntry.epoch().equals(lastEntry.epoch()) ? firstEntry : lastEntry, lastEntry)));
            }
            // A reset happened between the two gets: look again.
            return ends(room, attempts - 1);
        }).thenCompose(f -> f);
    }

    private void observe(RoomId room, Entry last) {
        heads.observe(room, new Head(last.epoch(), last.lastSeq(), last.streamSeq()));
    }

    /** The entry a message get finds; a foreign message on the subject reads as none. */
    CompletableFuture<Optional<Entry>> entry(RoomId room, MessageGetRequest request) {
        return api.get(names.stream(), request).thenApply(mi -> mi.map(m -> toEntry(room, m)));
    }

    private static Entry toEntry(RoomId room, MessageInfo m) {
        return LogEntries.parse(room, m.getHeaders(), m.getData(), m.getSeq());
    }

    @Override
    public CompletableFuture<Void> append(LogRecord record, long expectedLastSeq) {
        try {
            Objects.requireNonNull(record, "record");
            broker.checkOpen();
            RoomLogArguments.checkNextSeq(record, expectedLastSeq);
            LogEntries.checkRecordHeaders(record.headers());
            Headers h = LogEntries.recordHeaders(record, Long.MAX_VALUE);
            checkSize(record, h);
            Head head = heads.get(record.room());
            if (!matches(head, record)) {
                return lookUpAndStore(record).handle((v, err) -> this.<Void>mapped(v, err)).thenCompose(f -> f);
            }
            // The usual case, one future deep: stored, or refused and looked up once.
            h.put(LogEntries.EXPECTED_SUBJECT_SEQ, Long.toString(head.streamSeq()));
            CompletableFuture<Void> done = new CompletableFuture<>();
            store(record, h).whenComplete((v, err) -> {
                if (err == null) {
                    done.complete(null);
                } else {
                    retryIfStale(record, err).whenComplete((v2, err2) -> completeMapped(done, err2));
                }
            });
            return done;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean matches(Head head, LogRecord record) {
        return head != null && head.epoch().equals(record.epoch()) && head.lastSeq() == record.seq() - 1;
    }

    private CompletableFuture<Void> retryIfStale(LogRecord record, Throwable err) {
        if (Errors.apiCode(err) != Errors.WRONG_LAST_SEQUENCE) {
            return CompletableFuture.failedFuture(err);
        }
        return lookUpAndStore(record);
    }

    /** Reads the room's head from the server and appends if the caller's expectation holds. */
    private CompletableFuture<Void> lookUpAndStore(LogRecord record) {
        RoomId room = record.room();
        return entry(room, MessageGetRequest.lastForSubject(names.logSubject(room))).thenCompose(last -> {
            if (last.isPresent()) {
                Entry e = last.get();
                observe(room, e);
                if (e.record() != null && LogEntries.sameRecord(e.record(), record)) {
                    return CompletableFuture.completedFuture(null);
                }
                return e.epoch().equals(record.epoch()) && e.lastSeq() == record.seq() - 1
                        ? store(record, e.streamSeq()) : refuse(record, e.epoch(), e.lastSeq());
            }
            Head known = heads.get(room);
            if (matches(known, record)) {
                return store(record, 0);
            }
            return refuse(record, known == null ? "none" : known.epoch(), known == null ? -1 : known.lastSeq());
        });
    }

    private static CompletableFuture<Void> refuse(LogRecord record, String epoch, long lastSeq) {
        return CompletableFuture.failedFuture(new BrokerException(Reason.WRONG_LAST_SEQUENCE, "room " + record.room()
                + ": expected last seq " + (record.seq() - 1) + " in epoch " + record.epoch()
                + ", the log is at " + lastSeq + " in epoch " + epoch));
    }

    /**
     * Publishes {@code record} after the subject's message {@code expectedStreamSeq}. A duplicate
     * acknowledgement (the same message id within the duplicate window) counts as stored only when
     * the stored message is this very record; a different record with the same seq is a refusal.
     */
    CompletableFuture<Void> store(LogRecord record, long expectedStreamSeq) {
        return store(record, LogEntries.recordHeaders(record, expectedStreamSeq));
    }

    /** {@link #store(LogRecord, long)} with the record's headers, the expected sequence among them. */
    private CompletableFuture<Void> store(LogRecord record, Headers h) {
        return api.publish(names.logSubject(record.room()), h, record.data()).thenCompose(ack -> {
            if (!ack.isDuplicate()) {
                heads.observe(record.room(), new Head(record.epoch(), record.seq(), ack.getSeqno()));
                return CompletableFuture.completedFuture(null);
            }
            return confirmDuplicate(record, ack);
        });
    }

    private CompletableFuture<Void> confirmDuplicate(LogRecord record, PublishAck ack) {
        return entry(record.room(), MessageGetRequest.forSequence(ack.getSeqno())).thenCompose(stored -> {
            if (stored.isPresent() && stored.get().record() != null
                    && LogEntries.sameRecord(stored.get().record(), record)) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(new BrokerException(Reason.WRONG_LAST_SEQUENCE, "room "
                    + record.room() + ": another record with seq " + record.seq() + " in epoch " + record.epoch()
                    + " was stored"));
        });
    }

    /** @param h the record's headers with the longest expected sequence (so the check holds for any) */
    private void checkSize(LogRecord record, Headers h) {
        int headerBytes = h.serializedLength();
        if ((long) record.data().length + headerBytes > broker.maxMessageSize()) {
            throw new BrokerException(Reason.TOO_LARGE, "record of " + record.data().length + " bytes (plus "
                    + headerBytes + " bytes of headers) exceeds the broker's maximum of " + broker.maxMessageSize());
        }
    }

    @Override
    public CompletableFuture<List<LogRecord>> read(RoomId room, long fromSeq, int max) {
        try {
            RoomLogArguments.checkRead(room, fromSeq, max);
            broker.checkOpen();
            return reader.read(room, fromSeq, max).handle(this::mapped).thenCompose(f -> f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<LogInfo> reset(RoomId room, long nextSeq) {
        try {
            RoomLogArguments.checkReset(room, nextSeq);
            broker.checkOpen();
            String epoch = Epochs.next();
            Headers h = LogEntries.markerHeaders(epoch, nextSeq, null);
            return api.publish(names.logSubject(room), h, new byte[0]).handle((ack, err) -> {
                if (err != null) {
                    return CompletableFuture.<LogInfo>failedFuture(Errors.map(err, "resetting the log of " + room));
                }
                heads.observe(room, new Head(epoch, nextSeq - 1, ack.getSeqno()));
                return CompletableFuture.completedFuture(new LogInfo(epoch, nextSeq, nextSeq - 1));
            }).thenCompose(f -> f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Subscription subscribe(RoomId room, RecordListener listener) {
        RoomLogArguments.checkSubscribe(room, listener);
        return broker.subscribeRaw(names.liveSubject(room), null, m -> {
            Entry e = LogEntries.parse(room, m.getHeaders(), m.getData(), 0);
            if (e != null && e.record() != null) {
                listener.onRecord(e.record());
            }
        }, "record listener of room " + room);
    }

    private static void completeMapped(CompletableFuture<Void> done, Throwable err) {
        if (err == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(Errors.map(err, "room log"));
        }
    }

    private <T> CompletableFuture<T> mapped(T value, Throwable err) {
        return err == null ? CompletableFuture.completedFuture(value)
                : CompletableFuture.failedFuture(Errors.map(err, "room log"));
    }
}
