package io.playconnect.testkit.history;

import io.playconnect.testkit.history.History.Op;
import io.playconnect.testkit.history.History.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker on synthetic histories: valid ones (with retries, unacknowledged and failed
 * publishes) pass, and each injected fault is found. Each case runs over many seeds; the seed is
 * in every message.
 */
class HistoryCheckerTest {
    private static final int SEEDS = 200;

    /** A valid history and what the generator knows about it. */
    private record Generated(List<Op> ops, int events) {
    }

    /**
     * Several senders publish to a few rooms (sometimes twice with the same correlationId, sometimes
     * without an ack, sometimes without the event ever being stored); every client follows every
     * room and receives its events in order, at its own pace.
     */
    private static Generated generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        History h = new History();
        int rooms = 1 + random.nextInt(3);
        int clients = 2 + random.nextInt(3);
        List<List<String>> logs = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            logs.add(new ArrayList<>());
        }
        int[][] cursor = new int[clients][rooms];
        for (int c = 0; c < clients; c++) {
            for (int r = 0; r < rooms; r++) {
                h.resync("client" + c, "chat.r" + r, "e" + r, 0);
            }
        }
        int events = 0;
        int steps = 20 + random.nextInt(60);
        for (int step = 0; step < steps; step++) {
            int sender = random.nextInt(clients);
            int r = random.nextInt(rooms);
            String room = "chat.r" + r;
            String cid = "c" + sender + "-" + step;
            h.invoke("client" + sender, room, cid);
            if (random.nextInt(10) == 0) {
                continue; // failed: never stored, never acked
            }
            if (random.nextInt(5) == 0) {
                h.invoke("client" + sender, room, cid); // a retry after an unknown outcome
            }
            logs.get(r).add(cid);
            events++;
            if (random.nextInt(6) != 0) {
                h.ack("client" + sender, room, cid, "e" + r, logs.get(r).size());
            }
            for (int c = 0; c < clients; c++) {
                for (int rr = 0; rr < rooms; rr++) {
                    if (random.nextBoolean()) {
                        cursor[c][rr] = deliverUpTo(h, c, rr, logs.get(rr), cursor[c][rr], logs.get(rr).size());
                    }
                }
            }
        }
        for (int c = 0; c < clients; c++) {
            for (int r = 0; r < rooms; r++) {
                deliverUpTo(h, c, r, logs.get(r), cursor[c][r], logs.get(r).size());
            }
        }
        return new Generated(h.ops(), events);
    }

    private static int deliverUpTo(History h, int client, int room, List<String> log, int from, int to) {
        for (int i = from; i < to; i++) {
            h.deliver("client" + client, "chat.r" + room, "e" + room, i + 1, log.get(i));
        }
        return to;
    }

    private static CheckReport check(List<Op> ops) {
        return HistoryChecker.check(History.of(ops));
    }

    /** Runs {@code inject} on each seed's valid history; where it changed something, {@code found} must see it. */
    private static void eachSeed(BiFunction<List<Op>, SplittableRandom, List<Op>> inject,
                                 Function<CheckReport, List<Anomaly>> found) {
        int injected = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Op> valid = generate(seed).ops();
            List<Op> faulty = inject.apply(new ArrayList<>(valid), new SplittableRandom(seed * 7919));
            if (faulty == null) {
                continue;
            }
            injected++;
            CheckReport report = check(faulty);
            assertThat(found.apply(report)).as("seed %d: %s", seed, report.summary()).isNotEmpty();
            assertThat(report.valid()).as("seed %d", seed).isFalse();
        }
        assertThat(injected).as("seeds where the fault could be injected").isGreaterThan(SEEDS / 2);
    }

    @Test
    void validHistoriesPassAndRetriesCountOnce() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Generated g = generate(seed);
            CheckReport report = check(g.ops());
            assertThat(report.valid()).as("seed %d: %s", seed, report.summary()).isTrue();
            assertThat(report.events()).as("seed %d", seed).isEqualTo(g.events());
        }
    }

    @Test
    void findsAnAcknowledgedEventThatNobodyReceived() {
        eachSeed((ops, random) -> {
            Op acked = pick(ops, Type.ACK, random);
            if (acked == null) {
                return null;
            }
            ops.removeIf(o -> o.type() == Type.DELIVER && o.room().equals(acked.room())
                    && acked.correlationId().equals(o.correlationId()));
            return ops;
        }, CheckReport::lost);
    }

    @Test
    void findsAClientThatSkippedAnEvent() {
        eachSeed((ops, random) -> {
            Op skipped = pick(ops, Type.DELIVER, random);
            boolean hasLater = skipped != null && ops.stream().anyMatch(o -> o.type() == Type.DELIVER
                    && o.client().equals(skipped.client()) && o.room().equals(skipped.room()) && o.seq() > skipped.seq());
            if (!hasLater) {
                return null;
            }
            ops.remove(skipped);
            return ops;
        }, CheckReport::lost);
    }

    @Test
    void findsAnEventStoredTwice() {
        eachSeed((ops, random) -> {
            Op first = pick(ops, Type.DELIVER, random);
            if (first == null) {
                return null;
            }
            long head = ops.stream().filter(o -> o.room().equals(first.room()) && o.type() == Type.DELIVER)
                    .mapToLong(Op::seq).max().orElse(0);
            for (String client : clients(ops)) {
                ops.add(new Op(0, Type.DELIVER, client, first.room(), first.correlationId(), first.epoch(), head + 1, 0));
            }
            return ops;
        }, CheckReport::duplicated);
    }

    @Test
    void findsAnEventDeliveredTwiceToOneClient() {
        eachSeed((ops, random) -> {
            Op once = pick(ops, Type.DELIVER, random);
            if (once == null) {
                return null;
            }
            ops.add(ops.indexOf(once) + 1, once);
            return ops;
        }, CheckReport::duplicated);
    }

    @Test
    void findsDeliveriesOutOfOrder() {
        eachSeed((ops, random) -> {
            Op a = pick(ops, Type.DELIVER, random);
            Op b = a == null ? null : ops.stream().filter(o -> o.type() == Type.DELIVER && o.client().equals(a.client())
                    && o.room().equals(a.room()) && o.seq() == a.seq() + 1).findFirst().orElse(null);
            if (b == null) {
                return null;
            }
            int ia = ops.indexOf(a);
            int ib = ops.indexOf(b);
            ops.set(ia, b);
            ops.set(ib, a);
            return ops;
        }, CheckReport::reordered);
    }

    @Test
    void findsASendersEventsStoredOutOfItsOrder() {
        eachSeed((ops, random) -> {
            Op first = pick(ops, Type.ACK, random);
            Op second = first == null ? null : ops.stream().filter(o -> o.type() == Type.ACK && o.index() > first.index()
                    && o.client().equals(first.client()) && o.room().equals(first.room())).findFirst().orElse(null);
            if (second == null) {
                return null;
            }
            // The log holds the two events the other way round: acks and deliveries say so consistently.
            List<Op> out = new ArrayList<>();
            for (Op o : ops) {
                String cid = o.correlationId();
                long seq = o.seq();
                if (o.type() == Type.ACK && first.equals(o)) {
                    seq = second.seq();
                } else if (o.type() == Type.ACK && second.equals(o)) {
                    seq = first.seq();
                } else if (o.type() == Type.DELIVER && o.room().equals(first.room())) {
                    cid = o.seq() == first.seq() ? second.correlationId()
                            : o.seq() == second.seq() ? first.correlationId() : cid;
                }
                out.add(new Op(0, o.type(), o.client(), o.room(), cid, o.epoch(), seq, 0));
            }
            return out;
        }, CheckReport::reordered);
    }

    @Test
    void findsAnEventThatNobodySent() {
        eachSeed((ops, random) -> {
            Op any = pick(ops, Type.DELIVER, random);
            if (any == null) {
                return null;
            }
            long head = ops.stream().filter(o -> o.room().equals(any.room()) && o.type() == Type.DELIVER)
                    .mapToLong(Op::seq).max().orElse(0);
            ops.add(new Op(0, Type.DELIVER, any.client(), any.room(), "phantom", any.epoch(), head + 1, 0));
            return ops;
        }, CheckReport::unexpected);
    }

    @Test
    void findsAnAckForAPositionThatHoldsAnotherEvent() {
        eachSeed((ops, random) -> {
            Op ack = pick(ops, Type.ACK, random);
            if (ack == null) {
                return null;
            }
            ops.set(ops.indexOf(ack), new Op(0, Type.ACK, ack.client(), ack.room(), ack.correlationId(), ack.epoch(),
                    ack.seq() + 1 + random.nextInt(3), 0));
            return ops;
        }, CheckReport::wrongAcks);
    }

    @Test
    void aResyncExcusesAJumpButNotALoss() {
        History h = new History();
        h.invoke("a", "chat.x", "c1");
        h.ack("a", "chat.x", "c1", "e", 1);
        h.invoke("a", "chat.x", "c2");
        h.ack("a", "chat.x", "c2", "e", 2);
        h.invoke("a", "chat.x", "c3");
        h.deliver("b", "chat.x", "e", 1, "c1");
        h.resync("b", "chat.x", "e", 2);
        h.deliver("b", "chat.x", "e", 3, "c3");
        CheckReport report = HistoryChecker.check(h);
        assertThat(report.lost()).singleElement().satisfies(a -> assertThat(a.correlationId()).isEqualTo("c2"));
        assertThat(report.reordered()).isEmpty();
        assertThat(report.summary()).contains("1 lost").contains("c2");
    }

    private static Op pick(List<Op> ops, Type type, SplittableRandom random) {
        List<Op> candidates = ops.stream().filter(o -> o.type() == type).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private static List<String> clients(List<Op> ops) {
        return ops.stream().filter(o -> o.type() == Type.DELIVER).map(Op::client).distinct().toList();
    }
}
