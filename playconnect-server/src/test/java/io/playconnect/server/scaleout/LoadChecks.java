package io.playconnect.server.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import io.playconnect.testkit.history.History;
import io.playconnect.testkit.history.HistoryChecker;
import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Waiting on and measuring a group of {@link LoadClient}s, and the final read of their rooms. */
final class LoadChecks {
    private LoadChecks() {
    }

    /**
     * How long after {@code faultNanos} the slowest client got its first ack for a publish it sent
     * after the fault, in milliseconds; waits (bounded) until every client got one.
     */
    static double servedAgainMillis(List<LoadClient> clients, long faultNanos) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> clients.stream()
                .allMatch(c -> c.acked().stream().anyMatch(a -> a.attemptNanos() >= faultNanos)));
        double worst = 0;
        for (LoadClient c : clients) {
            long first = c.acked().stream().filter(a -> a.attemptNanos() >= faultNanos)
                    .mapToLong(LoadClient.Acked::ackNanos).min().orElseThrow();
            worst = Math.max(worst, (first - faultNanos) / 1e6);
        }
        return Math.round(worst * 10) / 10.0;
    }

    /** Waits until every client got {@code more} acks beyond what it has now. */
    static void awaitMoreAcks(List<LoadClient> clients, int more) {
        Map<LoadClient, Integer> before = new LinkedHashMap<>();
        clients.forEach(c -> before.put(c, c.acked().size()));
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream()
                .allMatch(c -> c.acked().size() >= before.get(c) + more));
    }

    /** Waits until every client received its room's events up to the highest acknowledged seq. */
    static void awaitEveryClientCaughtUp(History history, List<LoadClient> clients) {
        Map<String, Long> heads = new LinkedHashMap<>();
        history.ops().stream().filter(o -> o.type() == History.Type.ACK)
                .forEach(o -> heads.merge(o.room(), o.seq(), Math::max));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream()
                    .allMatch(c -> c.deliveredSeq() >= heads.getOrDefault(c.room, 0L)));
        } catch (ConditionTimeoutException e) {
            StringBuilder b = new StringBuilder("clients did not receive every acknowledged event:");
            clients.forEach(c -> b.append("\n  ").append(c.name).append(" in ").append(c.room).append(" at ")
                    .append(c.deliveredSeq()).append(" of ").append(heads.get(c.room)).append(", reconnects ")
                    .append(c.reconnects()).append(", violations ").append(c.violations()));
            b.append("\n").append(HistoryChecker.check(history).summary());
            throw new AssertionError(b.toString(), e);
        }
    }

    /** The final read: a new client per room resumes from seq 0 and must receive the whole log. */
    static void observeEveryRoom(History history, List<LoadClient> clients, URI ws, String token) throws Exception {
        Map<String, LoadClient> byRoom = new LinkedHashMap<>();
        clients.forEach(c -> byRoom.putIfAbsent(c.room, c));
        for (LoadClient c : byRoom.values()) {
            String observer = "observer-" + c.room;
            history.resync(observer, c.room, c.epoch(), 0);
            try (WsClient o = WsClient.connect(ws, token)) {
                o.send("{\"op\":\"join\",\"room\":\"" + c.room + "\",\"since\":0,\"epoch\":\"" + c.epoch() + "\"}");
                JsonNode joined = o.await(WsClient.op("joined"), Duration.ofSeconds(20));
                assertThat(joined.get("recovered").asBoolean()).as("the whole log of " + c.room + " is retained").isTrue();
                long seq = 0;
                while (seq < c.deliveredSeq()) {
                    JsonNode e = o.await(WsClient.op("event"), Duration.ofSeconds(20)).get("event");
                    seq = e.get("seq").asLong();
                    history.deliver(observer, c.room, e.get("epoch").asText(), seq, e.path("correlationId").asText(null));
                }
            }
        }
    }
}
