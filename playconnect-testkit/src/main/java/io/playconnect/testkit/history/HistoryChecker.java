package io.playconnect.testkit.history;

import io.playconnect.testkit.history.History.Op;
import io.playconnect.testkit.history.History.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a {@link History} as a whole, after the run. What it holds a system to:
 *
 * <ul>
 *   <li><b>lost</b>: every acknowledged event is delivered to someone; and a client following a room
 *   receives every seq after its position (where it joined, or the snapshot it got) or the last it received;</li>
 *   <li><b>unexpected</b>: every delivered event was sent to that room by someone, and all clients see
 *   the same event at the same position;</li>
 *   <li><b>duplicated</b>: an event (room, correlationId) is stored at one position only, and no
 *   client receives a position twice;</li>
 *   <li><b>reordered</b>: a client's deliveries in a room go forward in seq, and one sender's events
 *   are stored in the order it first sent them;</li>
 *   <li><b>wrong acks</b>: an acknowledgement names the position its event is stored at.</li>
 * </ul>
 *
 * Retries are counted once: attempts with the same room and correlationId are one event.
 */
public final class HistoryChecker {
    private HistoryChecker() {
    }

    /** A stored position: room, epoch and seq. */
    private record Position(String room, String epoch, long seq) {
    }

    /** An event's identity: room and correlationId. */
    private record EventKey(String room, String correlationId) {
    }

    public static CheckReport check(History history) {
        List<Op> ops = history.ops();
        Checked c = new Checked();
        Map<Position, String> stored = stored(ops, c);
        Map<EventKey, Position> where = eventPositions(stored, c);
        checkSenders(ops, c);
        checkClients(ops, c);
        checkAcks(ops, stored, where, c);
        long deliveries = ops.stream().filter(o -> o.type() == Type.DELIVER).count();
        Set<EventKey> acked = new HashSet<>();
        ops.stream().filter(o -> o.type() == Type.ACK).forEach(o -> acked.add(new EventKey(o.room(), o.correlationId())));
        return new CheckReport(c.lost, c.unexpected, c.duplicated, c.reordered, c.wrongAcks, where.size(), acked.size(),
                deliveries);
    }

    private static final class Checked {
        final List<Anomaly> lost = new ArrayList<>();
        final List<Anomaly> unexpected = new ArrayList<>();
        final List<Anomaly> duplicated = new ArrayList<>();
        final List<Anomaly> reordered = new ArrayList<>();
        final List<Anomaly> wrongAcks = new ArrayList<>();
    }

    /** What was stored where, as the deliveries show it; clients that disagree are unexpected. */
    private static Map<Position, String> stored(List<Op> ops, Checked c) {
        Set<EventKey> sent = new HashSet<>();
        for (Op o : ops) {
            if (o.type() == Type.INVOKE) {
                sent.add(new EventKey(o.room(), o.correlationId()));
            }
        }
        Map<Position, String> stored = new LinkedHashMap<>();
        Set<Position> reported = new HashSet<>();
        for (Op o : ops) {
            if (o.type() != Type.DELIVER) {
                continue;
            }
            Position p = new Position(o.room(), o.epoch(), o.seq());
            String cid = String.valueOf(o.correlationId());
            String before = stored.putIfAbsent(p, cid);
            if (before != null && !before.equals(cid) && reported.add(p)) {
                c.unexpected.add(new Anomaly(o.room(), o.client(), cid, o.epoch(), o.seq(),
                        "clients disagree: another client received " + before + " at this position"));
            }
            if (before == null && !sent.contains(new EventKey(o.room(), o.correlationId()))) {
                c.unexpected.add(new Anomaly(o.room(), o.client(), cid, o.epoch(), o.seq(), "delivered but never sent"));
            }
        }
        return stored;
    }

    /** Where each event is stored; an event at two positions is duplicated. */
    private static Map<EventKey, Position> eventPositions(Map<Position, String> stored, Checked c) {
        Map<EventKey, Position> where = new HashMap<>();
        for (Map.Entry<Position, String> e : stored.entrySet()) {
            Position p = e.getKey();
            EventKey key = new EventKey(p.room(), e.getValue());
            Position first = where.putIfAbsent(key, p);
            if (first != null) {
                c.duplicated.add(new Anomaly(p.room(), null, e.getValue(), p.epoch(), p.seq(),
                        "stored twice: also at " + first.epoch() + "/" + first.seq()));
            }
        }
        return where;
    }

    /** Each client's deliveries per room: forward, each seq once, no gap unless a resync. */
    private static void checkClients(List<Op> ops, Checked c) {
        Map<String, Position> last = new HashMap<>();
        for (Op o : ops) {
            if (o.type() != Type.DELIVER && o.type() != Type.RESYNC) {
                continue;
            }
            String stream = o.client() + '\u0000' + o.room();
            Position previous = last.get(stream);
            Position now = new Position(o.room(), o.epoch(), o.seq());
            if (o.type() == Type.RESYNC) {
                last.put(stream, now);
                continue;
            }
            if (previous != null && previous.epoch().equals(o.epoch())) {
                long expected = previous.seq() + 1;
                if (o.seq() == previous.seq()) {
                    c.duplicated.add(new Anomaly(o.room(), o.client(), o.correlationId(), o.epoch(), o.seq(),
                            "delivered twice to this client"));
                    continue;
                }
                if (o.seq() < previous.seq()) {
                    c.reordered.add(new Anomaly(o.room(), o.client(), o.correlationId(), o.epoch(), o.seq(),
                            "delivered after seq " + previous.seq()));
                    continue;
                }
                for (long missed = expected; missed < o.seq(); missed++) {
                    c.lost.add(new Anomaly(o.room(), o.client(), null, o.epoch(), missed,
                            "skipped: the client went from seq " + previous.seq() + " to " + o.seq()));
                }
            }
            last.put(stream, now);
        }
    }

    /** One sender's events, in the order it first sent them, must be stored in that order. */
    private static void checkSenders(List<Op> ops, Checked c) {
        Map<String, List<Op>> acksBySender = new LinkedHashMap<>();
        Map<EventKey, Long> firstInvoke = new HashMap<>();
        for (Op o : ops) {
            EventKey key = new EventKey(o.room(), o.correlationId());
            if (o.type() == Type.INVOKE) {
                firstInvoke.putIfAbsent(key, o.index());
            } else if (o.type() == Type.ACK) {
                acksBySender.computeIfAbsent(o.client() + '\u0000' + o.room(), k -> new ArrayList<>()).add(o);
            }
        }
        for (List<Op> acks : acksBySender.values()) {
            Map<String, Op> byEvent = new LinkedHashMap<>();
            acks.forEach(a -> byEvent.putIfAbsent(a.correlationId(), a));
            List<Op> inSendOrder = new ArrayList<>(byEvent.values());
            inSendOrder.sort((a, b) -> Long.compare(
                    firstInvoke.getOrDefault(new EventKey(a.room(), a.correlationId()), a.index()),
                    firstInvoke.getOrDefault(new EventKey(b.room(), b.correlationId()), b.index())));
            for (int i = 1; i < inSendOrder.size(); i++) {
                Op before = inSendOrder.get(i - 1);
                Op after = inSendOrder.get(i);
                if (after.epoch().equals(before.epoch()) && after.seq() <= before.seq()) {
                    c.reordered.add(new Anomaly(after.room(), after.client(), after.correlationId(), after.epoch(),
                            after.seq(), "sent after " + before.correlationId() + " but stored before it (seq "
                            + before.seq() + ")"));
                }
            }
        }
    }

    /** Every acknowledged event was delivered, at the position its ack names. */
    private static void checkAcks(List<Op> ops, Map<Position, String> stored, Map<EventKey, Position> where, Checked c) {
        Set<EventKey> reportedLost = new HashSet<>();
        for (Op o : ops) {
            if (o.type() != Type.ACK) {
                continue;
            }
            EventKey key = new EventKey(o.room(), o.correlationId());
            Position at = where.get(key);
            if (at == null) {
                if (reportedLost.add(key)) {
                    c.lost.add(new Anomaly(o.room(), o.client(), o.correlationId(), o.epoch(), o.seq(),
                            "acknowledged but never delivered to anyone"));
                }
                continue;
            }
            Position acked = new Position(o.room(), o.epoch(), o.seq());
            if (!at.equals(acked)) {
                String there = stored.get(acked);
                c.wrongAcks.add(new Anomaly(o.room(), o.client(), o.correlationId(), o.epoch(), o.seq(),
                        "acknowledged at this position, stored at " + at.epoch() + "/" + at.seq()
                                + (there == null ? "" : "; this position holds " + there)));
            }
        }
    }
}
