package io.playconnect.engine.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.playconnect.core.Command;
import io.playconnect.core.Event;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: the same set of {@code doc} events applied in any order gives byte-identical state,
 * which survives a snapshot round trip and matches an independent, deliberately naive model of
 * the documented merge rules (compared as JSON, since the model does not fix key order).
 */
class DocConvergenceTest {
    private static final int CASES = 300;
    private static final int PERMUTATIONS = 6;
    private static final String[] PATHS = {"", "/a", "/a/b", "/a/b/c", "/a/d", "/e", "/e/b", "/a~1x"};
    private static final String[] VALUES = {"1", "\"s\"", "null", "true", "[1,2]", "{\"b\":7,\"z\":1}",
        "{\"c\":{\"k\":1},\"q\":2}", "{\"d\":[]}", "{}", "-0.5"};
    private static final String[] CLIENTS = {"u1", "u2", "u3"};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One generated write, kept for the model. */
    private record Op(String path, String value, long t, long c, String client) {
        boolean delete() {
            return value == null;
        }
    }

    @Test
    void anyOrderOfTheSameEventsGivesTheSameBytes() throws IOException {
        DocRoomLogic logic = new DocRoomLogic();
        RoomId room = RoomId.parse("doc.p");
        for (long seed = 0; seed < CASES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Op> ops = generate(random);
            List<Event> events = toEvents(logic, room, ops);
            byte[] first = null;
            for (int k = 0; k < PERMUTATIONS; k++) {
                List<Event> order = new ArrayList<>(events);
                shuffle(order, random);
                DocState state = logic.initialState(room);
                order.forEach(e -> logic.apply(state, e));
                byte[] encoded = logic.encodeState(state);
                if (first == null) {
                    first = encoded;
                }
                assertThat(new String(encoded, StandardCharsets.UTF_8)).as("seed %d permutation %d", seed, k)
                        .isEqualTo(new String(first, StandardCharsets.UTF_8));
                assertThat(logic.encodeState(logic.decodeState(room, encoded))).as("round trip, seed %d", seed)
                        .isEqualTo(encoded);
            }
            assertThat(JSON.readTree(first).get("doc")).as("model, seed %d, ops %s", seed, ops)
                    .isEqualTo(model(ops));
        }
    }

    private static List<Op> generate(SplittableRandom random) {
        int n = 1 + random.nextInt(24);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = PATHS[random.nextInt(PATHS.length)];
            String value = random.nextInt(4) == 0 ? null : VALUES[random.nextInt(VALUES.length)];
            ops.add(new Op(path, value, random.nextInt(6), random.nextInt(2), CLIENTS[random.nextInt(CLIENTS.length)]));
        }
        return ops;
    }

    private static List<Event> toEvents(DocRoomLogic logic, RoomId room, List<Op> ops) {
        List<Event> events = new ArrayList<>();
        long seq = 0;
        for (Op op : ops) {
            String hlc = "\"hlc\":{\"t\":" + op.t() + ",\"c\":" + op.c() + "}";
            String json = op.delete() ? "{\"path\":\"" + op.path() + "\"," + hlc + "}"
                    : "{\"path\":\"" + op.path() + "\",\"value\":" + op.value() + "," + hlc + "}";
            String type = op.delete() ? DocRoomLogic.DELETE : DocRoomLogic.SET;
            Command command = new Command(room, type, json.getBytes(StandardCharsets.UTF_8), "c" + seq,
                    new Origin("test", op.client()), null);
            byte[] payload = logic.decide(logic.initialState(room), command, 1_000);
            seq++;
            events.add(new Event("e-" + seq, type, room, seq, "e", seq, command.correlationId(), null,
                    command.origin(), payload));
        }
        return events;
    }

    private static void shuffle(List<Event> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    // ---- the model: survivors by definition, then applied shallow-first onto a tree ----

    private static final Comparator<Op> STAMP = Comparator.comparingLong(Op::t).thenComparingLong(Op::c)
            .thenComparing(Op::client).thenComparing(Op::delete)
            .thenComparing(op -> op.delete() ? "" : op.value(),
                    (x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                            y.getBytes(StandardCharsets.UTF_8)));

    private static boolean atOrBelow(String path, String ancestor) {
        return path.equals(ancestor) || path.startsWith(ancestor + "/");
    }

    private static JsonNode model(List<Op> ops) throws IOException {
        List<Op> survivors = new ArrayList<>();
        for (Op op : ops) {
            boolean covered = ops.stream().anyMatch(o -> atOrBelow(op.path(), o.path()) && STAMP.compare(o, op) > 0);
            boolean duplicate = survivors.stream().anyMatch(s -> s.path().equals(op.path()));
            if (!covered && !duplicate) {
                survivors.add(op);
            }
        }
        survivors.sort(Comparator.comparingInt((Op op) -> depth(op.path())).thenComparing(Op::path));
        ObjectNode holder = JSON.createObjectNode();
        for (Op op : survivors) {
            applyToModel(holder, op);
        }
        return holder.has("root") ? holder.get("root") : JSON.createObjectNode();
    }

    private static int depth(String path) {
        return path.isEmpty() ? 0 : path.split("/", -1).length - 1;
    }

    private static void applyToModel(ObjectNode holder, Op op) throws IOException {
        List<String> keys = new ArrayList<>();
        keys.add("root");
        if (!op.path().isEmpty()) {
            for (String seg : op.path().substring(1).split("/", -1)) {
                keys.add(seg.replace("~1", "/").replace("~0", "~"));
            }
        }
        ObjectNode parent = holder;
        for (int i = 0; i < keys.size() - 1; i++) {
            JsonNode next = parent.get(keys.get(i));
            if (next == null || !next.isObject()) {
                if (op.delete()) {
                    return;
                }
                next = parent.putObject(keys.get(i));
            }
            parent = (ObjectNode) next;
        }
        String last = keys.get(keys.size() - 1);
        if (op.delete()) {
            parent.remove(last);
        } else {
            parent.set(last, JSON.readTree(op.value()));
        }
    }
}
