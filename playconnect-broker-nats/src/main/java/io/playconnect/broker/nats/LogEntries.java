package io.playconnect.broker.nats;

import io.nats.client.impl.Headers;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a room's log is laid out as messages of its subject. A record is one message whose body is
 * the record's data and whose headers carry {@code Pc-Seq}, {@code Pc-Epoch}, {@code Pc-Ts} and the
 * record's own headers. An epoch marker is an empty message with {@code Pc-Epoch} and
 * {@code Pc-Next-Seq} (no {@code Pc-Seq}); it opens a log, and a reset writes it as a subject rollup,
 * so it is always the first message of its subject and every message after it is of its epoch.
 */
final class LogEntries {
    static final String SEQ = "Pc-Seq";
    static final String EPOCH = "Pc-Epoch";
    static final String TS = "Pc-Ts";
    static final String NEXT_SEQ = "Pc-Next-Seq";
    static final String MSG_ID = "Nats-Msg-Id";
    static final String EXPECTED_SUBJECT_SEQ = "Nats-Expected-Last-Subject-Sequence";
    static final String ROLLUP = "Nats-Rollup";
    private static final String NATS = "Nats-";

    private LogEntries() {
    }

    /**
     * One message of a room's subject. A record covers its own seq; a marker covers nothing
     * ({@code firstSeq = lastSeq + 1 = its next seq}), so a log's range is the first entry's first
     * seq to the last entry's last seq.
     */
    record Entry(long streamSeq, String epoch, long firstSeq, long lastSeq, LogRecord record) {
        boolean isMarker() {
            return record == null;
        }

        /** Whether this is a record below {@code seq}. */
        boolean seqBelow(long seq) {
            return record != null && lastSeq < seq;
        }
    }

    /** The headers of {@code r} appended after the subject's message {@code expectedStreamSeq} (0: none). */
    static Headers recordHeaders(LogRecord r, long expectedStreamSeq) {
        Headers h = new Headers();
        r.headers().forEach(h::put);
        h.put(SEQ, Long.toString(r.seq()));
        h.put(EPOCH, r.epoch());
        h.put(TS, Long.toString(r.timestamp()));
        h.put(MSG_ID, messageId(r));
        h.put(EXPECTED_SUBJECT_SEQ, Long.toString(expectedStreamSeq));
        return h;
    }

    /** An epoch marker; with {@code expectedStreamSeq} null it replaces everything on the subject. */
    static Headers markerHeaders(String epoch, long nextSeq, Long expectedStreamSeq) {
        Headers h = new Headers();
        h.put(EPOCH, epoch);
        h.put(NEXT_SEQ, Long.toString(nextSeq));
        if (expectedStreamSeq == null) {
            h.put(ROLLUP, "sub");
        } else {
            h.put(EXPECTED_SUBJECT_SEQ, Long.toString(expectedStreamSeq));
        }
        return h;
    }

    /** Room, epoch and seq: a record re-sent within the duplicate window is stored once. */
    static String messageId(LogRecord r) {
        return r.room().value() + ":" + r.epoch() + ":" + r.seq();
    }

    /** Refuses record headers that would be mistaken for the log's own. */
    static void checkRecordHeaders(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "header name");
            Objects.requireNonNull(e.getValue(), "header " + name);
            if (reserved(name)) {
                throw new IllegalArgumentException("record header " + SubjectRules.quote(name)
                        + " is reserved for the log (Pc-Seq, Pc-Epoch, Pc-Ts, Pc-Next-Seq, Nats-*)");
            }
        }
    }

    private static boolean reserved(String name) {
        return name.equals(SEQ) || name.equals(EPOCH) || name.equals(TS) || name.equals(NEXT_SEQ)
                || name.regionMatches(true, 0, NATS, 0, NATS.length());
    }

    /** The entry a stored message of {@code room}'s subject is, or null for a foreign message. */
    static Entry parse(RoomId room, Headers h, byte[] data, long streamSeq) {
        String epoch = h == null ? null : h.getLast(EPOCH);
        if (epoch == null) {
            return null;
        }
        try {
            String seq = h.getLast(SEQ);
            if (seq == null) {
                String next = h.getLast(NEXT_SEQ);
                long nextSeq = next == null ? -1 : Long.parseLong(next);
                return nextSeq < 1 ? null : new Entry(streamSeq, epoch, nextSeq, nextSeq - 1, null);
            }
            long s = Long.parseLong(seq);
            String ts = h.getLast(TS);
            LogRecord r = new LogRecord(room, epoch, s, ts == null ? 0 : Long.parseLong(ts),
                    data == null ? new byte[0] : data, ownHeaders(h));
            return new Entry(streamSeq, epoch, s, s, r);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> ownHeaders(Headers h) {
        Map<String, String> own = null;
        for (String name : h.keySet()) {
            if (!reserved(name)) {
                if (own == null) {
                    own = new HashMap<>();
                }
                own.put(name, h.getLast(name));
            }
        }
        return own == null ? Map.of() : Collections.unmodifiableMap(own);
    }

    /** Whether two records are the same record: same place in the same log, same bytes and headers. */
    static boolean sameRecord(LogRecord a, LogRecord b) {
        return a.room().equals(b.room()) && a.epoch().equals(b.epoch()) && a.seq() == b.seq()
                && a.timestamp() == b.timestamp() && Arrays.equals(a.data(), b.data())
                && a.headers().equals(b.headers());
    }
}
