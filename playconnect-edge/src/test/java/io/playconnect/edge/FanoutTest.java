package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FanoutTest {
    private static final RoomId ROOM = RoomId.parse("chat.fan");

    private static byte[] text(String s) {
        return ("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void publishAll(EdgeHarness.Client writer, RoomId room, int n) {
        for (int sent = 0; sent < n; ) {
            int before = writer.out().acks().size();
            int batch = Math.min(10, n - sent);
            for (int i = 0; i < batch; i++) {
                writer.session().publish(room, "message", text("m" + sent++), null, null);
            }
            await().until(() -> writer.out().acks().size() == before + batch);
        }
    }

    private static List<EdgeHarness.Client> joinAll(EdgeHarness h, RoomId room, int n) {
        List<EdgeHarness.Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EdgeHarness.Client c = h.connect("u" + i, EdgeHarness.ALL);
            c.session().join(room, null);
            clients.add(c);
        }
        await().until(() -> clients.stream().allMatch(c -> c.out().all(RoomSnapshot.class).size() == 1));
        return clients;
    }

    @Test
    void everyEventIsEncodedOnceHoweverManySessionsReceiveIt() {
        AtomicReference<LossyBroker> view = new AtomicReference<>();
        try (EdgeHarness h = EdgeHarness.newBuilder().brokerView(b -> {
            view.set(new LossyBroker(b, r -> false));
            return view.get();
        }).build()) {
            int sessions = 25;
            int events = 30;
            List<EdgeHarness.Client> clients = joinAll(h, ROOM, sessions);
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            publishAll(writer, ROOM, events);
            await().until(() -> clients.stream().allMatch(c -> c.out().seqs(ROOM).size() == events));

            assertThat(h.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, "test")).isEqualTo(events);
            assertThat(h.counter(EdgeMetrics.DELIVERIES, EdgeMetrics.TAG_PROTOCOL, "websocket"))
                    .isEqualTo((double) sessions * events);
            for (int i = 0; i < events; i++) {
                int k = i;
                Set<OutboundEvent> distinct = clients.stream()
                        .map(c -> c.out().events(ROOM).get(k).event())
                        .collect(Collectors.toCollection(() -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>())));
                assertThat(distinct).as("one shared event object for seq %d", k + 1).hasSize(1);
            }
            assertThat(view.get().liveSubscriptions.get()).as("one broker subscription for the room").isEqualTo(1);
            assertThat(h.edge.openRooms()).isEqualTo(1);

            clients.forEach(c -> c.session().leave(ROOM));
            await().until(() -> view.get().liveSubscriptions.get() == 0 && h.edge.openRooms() == 0);
        }
    }

    @Test
    void droppedLiveRecordsAreRepairedFromTheLogInOrder() {
        // Every record whose seq is 3 mod 4, and a run of 5 in the middle, never arrives live.
        AtomicReference<LossyBroker> view = new AtomicReference<>();
        try (EdgeHarness h = EdgeHarness.newBuilder().brokerView(b -> {
            view.set(new LossyBroker(b, r -> r.seq() % 4 == 3 || (r.seq() >= 20 && r.seq() < 25)));
            return view.get();
        }).build()) {
            List<EdgeHarness.Client> clients = joinAll(h, ROOM, 3);
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            int events = 41;
            publishAll(writer, ROOM, events);
            List<Long> all = LongStream.rangeClosed(1, events).boxed().toList();
            // The last record (41) is delivered live, so every gap before it must be filled.
            await().until(() -> clients.stream().allMatch(c -> c.out().seqs(ROOM).size() == events));
            for (EdgeHarness.Client c : clients) {
                assertThat(c.out().seqs(ROOM)).isEqualTo(all);
            }
            assertThat(view.get().dropped.get()).isGreaterThan(10);
        }
    }

    @Test
    void roomsAreIndependent() {
        RoomId other = RoomId.parse("chat.other");
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client a = joinAll(h, ROOM, 1).get(0);
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            publishAll(writer, other, 3);
            publishAll(writer, ROOM, 2);
            await().until(() -> a.out().seqs(ROOM).size() == 2);
            assertThat(a.out().events(other)).isEmpty();
        }
    }
}
