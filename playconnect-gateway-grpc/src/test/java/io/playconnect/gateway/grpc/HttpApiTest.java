package io.playconnect.gateway.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playconnect.core.RoomId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP server API under /api/v1 on the shared HTTP port, with the JDK's HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private GrpcFixture server;
    private String token;

    @BeforeAll
    void start() {
        server = GrpcFixture.start();
        token = server.token("legacy");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private Answer call(String method, String path, String body, String bearer, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.httpUri + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
    }

    private Answer post(String path, String body) throws Exception {
        return call("POST", path, body, token, Map.of());
    }

    @Test
    void publishIsAckedOnceStoredAndIdempotent() throws Exception {
        String room = "chat.http" + GrpcFixture.nextRoom();
        String body = "{\"room\":\"" + room + "\",\"type\":\"message\",\"payload\": {\"text\" : \"hi\"},\"correlationId\":\"h-1\"}";
        Answer first = post("/api/v1/publish", body);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("seq").asLong()).isEqualTo(1);
        assertThat(first.body().get("correlationId").asText()).isEqualTo("h-1");
        Answer retry = post("/api/v1/publish", body);
        assertThat(retry.body().get("seq").asLong()).as("the original answer").isEqualTo(1);
        Answer conflict = post("/api/v1/publish", body.replace("hi", "changed"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().get("code").asText()).isEqualTo("idempotency_conflict");
        assertThat(conflict.body().get("retry").asBoolean()).isFalse();

        String stored = new String(server.stored(RoomId.parse(room)).get(0).data(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored).as("the payload bytes as sent").contains("\"payload\":{\"text\" : \"hi\"}");
        assertThat(stored).contains("\"origin\":{\"protocol\":\"http\",\"user\":\"legacy\"}");

        Answer keyed = call("POST", "/api/v1/publish", "{\"room\":\"" + room + "\",\"type\":\"message\",\"payload\":{\"text\":\"k\"}}",
                token, Map.of("Idempotency-Key", "key-7"));
        assertThat(keyed.body().get("correlationId").asText()).isEqualTo("key-7");
        assertThat(keyed.body().get("seq").asLong()).isEqualTo(2);
    }

    @Test
    void batchAppliesInOrderAndReportsEachCommand() throws Exception {
        String game = "game.b" + GrpcFixture.nextRoom();
        String body = "{\"commands\":["
                + "{\"room\":\"" + game + "\",\"type\":\"move\",\"payload\":{\"move\":\"e4\"},\"correlationId\":\"b1\"},"
                + "{\"room\":\"" + game + "\",\"type\":\"move\",\"payload\":{\"move\":\"e9\"},\"correlationId\":\"b2\"},"
                + "{\"room\":\"bad room\",\"type\":\"move\",\"payload\":{},\"correlationId\":\"b3\"},"
                + "{\"room\":\"chat.b" + GrpcFixture.nextRoom() + "\",\"type\":\"message\",\"payload\":{\"text\":\"x\"}}]}";
        Answer a = post("/api/v1/publish/batch", body);
        assertThat(a.status()).isEqualTo(200);
        JsonNode results = a.body().get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("ok").asBoolean()).isTrue();
        assertThat(results.get(0).get("seq").asLong()).isEqualTo(1);
        // The same player moving twice: not their turn (checked before the move's legality).
        assertThat(results.get(1).get("ok").asBoolean()).isFalse();
        assertThat(results.get(1).get("error").get("code").asText()).isIn("not_your_turn", "illegal_move");
        assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("bad_room");
        assertThat(results.get(3).get("ok").asBoolean()).isTrue();
        assertThat(server.stored(RoomId.parse(game))).hasSize(1);

        assertThat(post("/api/v1/publish/batch", "{\"commands\":[]}").status()).isEqualTo(400);
        StringBuilder many = new StringBuilder("{\"commands\":[");
        for (int i = 0; i <= HttpApi.MAX_BATCH; i++) {
            many.append(i == 0 ? "" : ",").append("{\"room\":\"chat.m\",\"type\":\"message\",\"payload\":{\"text\":\"m\"}}");
        }
        Answer tooMany = post("/api/v1/publish/batch", many.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().get("message").asText()).contains("at most 100");
    }

    @Test
    void aLongBatchToOneRoomIsStoredInTheOrderGiven() throws Exception {
        String room = "chat.bo" + GrpcFixture.nextRoom();
        int n = 40; // more than one session may queue per room: the batch sends them one by one
        StringBuilder body = new StringBuilder("{\"commands\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"room\":\"").append(room)
                    .append("\",\"type\":\"message\",\"payload\":{\"text\":\"n").append(i)
                    .append("\"},\"correlationId\":\"o").append(i).append("\"}");
        }
        Answer a = post("/api/v1/publish/batch", body.append("]}").toString());
        assertThat(a.status()).isEqualTo(200);
        JsonNode results = a.body().get("results");
        for (int i = 0; i < n; i++) {
            assertThat(results.get(i).get("ok").asBoolean()).as("command " + i).isTrue();
            assertThat(results.get(i).get("seq").asLong()).as("command " + i).isEqualTo(i + 1);
        }
        assertThat(server.stored(RoomId.parse(room))).hasSize(n);
    }

    @Test
    void snapshotAndPresence() throws Exception {
        String room = "chat.sp" + GrpcFixture.nextRoom();
        post("/api/v1/publish", "{\"room\":\"" + room + "\",\"type\":\"message\",\"payload\":{\"text\":\"state\"}}");
        Answer snapshot = call("GET", "/api/v1/snapshot?room=" + room, null, token, Map.of());
        assertThat(snapshot.status()).isEqualTo(200);
        assertThat(snapshot.body().get("seq").asLong()).isEqualTo(1);
        assertThat(snapshot.body().get("state").get("messages").get(0).get("text").asText()).isEqualTo("state");

        StreamProbe member = StreamProbe.connect(server, server.token("present"));
        member.join(room);
        member.next(io.playconnect.proto.v1.ServerMessage.MsgCase.SNAPSHOT);
        Answer presence = call("GET", "/api/v1/presence?room=" + room, null, token, Map.of());
        assertThat(presence.status()).isEqualTo(200);
        assertThat(presence.body().get("members").get(0).get("user").asText()).isEqualTo("present");
        assertThat(presence.body().get("members").get(0).get("protocol").asText()).isEqualTo("grpc");
        member.cancel();
        Answer unknownKind = call("GET", "/api/v1/snapshot?room=nokind.1", null, token, Map.of());
        assertThat(unknownKind.status()).isEqualTo(404);
        assertThat(unknownKind.body().get("code").asText()).isEqualTo("unknown_kind");
    }

    @Test
    void errorsAreTypedJsonWithFittingStatuses() throws Exception {
        String room = "chat.e" + GrpcFixture.nextRoom();
        String ok = "{\"room\":\"" + room + "\",\"type\":\"message\",\"payload\":{\"text\":\"x\"}}";
        Answer noToken = call("POST", "/api/v1/publish", ok, null, Map.of());
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(noToken.body().get("code").asText()).isEqualTo("unauthenticated");
        assertThat(call("POST", "/api/v1/publish", ok, "garbage", Map.of()).status()).isEqualTo(401);
        String readOnly = server.token("reader", Map.of("chat.*", List.of("subscribe")));
        Answer forbidden = call("POST", "/api/v1/publish", ok, readOnly, Map.of());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().get("code").asText()).isEqualTo("forbidden");
        assertThat(call("GET", "/api/v1/presence?room=" + room, null, readOnly, Map.of()).status()).isEqualTo(403);
        assertThat(post("/api/v1/publish", "not json").body().get("code").asText()).isEqualTo("bad_request");
        assertThat(post("/api/v1/publish", "{\"room\":\"x\",\"type\":\"m\",\"payload\":1}").body().get("code").asText())
                .isEqualTo("bad_room");
        assertThat(post("/api/v1/publish", "{\"room\":\"" + room + "\",\"type\":\"message\"}").status()).isEqualTo(400);
        Answer unknownKind = post("/api/v1/publish", "{\"room\":\"nokind.1\",\"type\":\"x\",\"payload\":{}}");
        assertThat(unknownKind.status()).isEqualTo(404);
        String tooBig = "{\"room\":\"" + room + "\",\"type\":\"message\",\"payload\":\"" + "a".repeat(70_000) + "\"}";
        // The server answers 413 and closes at once (the rest of the body is still on the wire); a
        // client that is still sending may see the close before it reads the answer.
        try {
            Answer big = post("/api/v1/publish", tooBig);
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.body().get("code").asText()).isEqualTo("payload_too_large");
        } catch (java.io.IOException closedFirst) {
            // Closed before the answer was read: acceptable; the check below is what matters.
            assertThat(closedFirst).isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        }
        assertThat(call("GET", "/api/v1/snapshot", null, token, Map.of()).status()).isEqualTo(400);
        assertThat(server.stored(RoomId.parse(room))).isEmpty();
    }

    @Test
    void rateLimitsAreTheEdgesAnd429() throws Exception {
        try (GrpcFixture limited = GrpcFixture.newBuilder().limits(l -> l.messagesPerSecond(1).messageBurst(2)).build()) {
            String t = limited.token("burst");
            String room = "chat.rl" + GrpcFixture.nextRoom();
            int last = 0;
            for (int i = 0; i < 4; i++) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(limited.httpUri + "/api/v1/publish"))
                        .header("Authorization", "Bearer " + t)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room
                                + "\",\"type\":\"message\",\"payload\":{\"text\":\"r\"}}")).build();
                HttpResponse<String> answer = client.send(r, HttpResponse.BodyHandlers.ofString());
                last = answer.statusCode();
                if (last == 429) {
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    assertThat(JSON.readTree(answer.body()).get("retry").asBoolean()).isTrue();
                    break;
                }
            }
            assertThat(last).isEqualTo(429);
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() throws Exception {
        Answer doc = call("GET", "/api/v1/openapi.json", null, null, Map.of());
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().get("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.body().get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> methods = paths.get(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                Answer a = call(method, path, method.equals("POST") ? "{}" : null, token, Map.of());
                assertThat(a.status()).as(method + " " + path + " is served").isNotIn(404, 405);
            }
        }
        assertThat(paths.has("/api/v1/publish") && paths.has("/api/v1/publish/batch") && paths.has("/api/v1/snapshot")
                && paths.has("/api/v1/presence")).isTrue();
    }
}
