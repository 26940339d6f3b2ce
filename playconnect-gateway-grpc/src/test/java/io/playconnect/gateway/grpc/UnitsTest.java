package io.playconnect.gateway.grpc;

import io.grpc.Status;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.spi.GatewaySettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure pieces: status mappings, option parsing, and cutting payloads out of HTTP bodies. */
class UnitsTest {

    @Test
    void everyCodeMapsToOneGrpcStatusAndOneHttpStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            Status.Code grpc = Statuses.codeOf(code);
            int http = HttpApi.httpStatus(code, false);
            assertThat(grpc).as(code.name()).isNotIn(Status.Code.OK, Status.Code.UNKNOWN);
            assertThat(http).as(code.name()).isBetween(400, 599);
            // Retryable codes are the server-side ones; the others are the client's to fix.
            assertThat(http >= 429).as(code + " is retryable iff the HTTP status says so").isEqualTo(code.retryable() || http == 500);
            var e = Statuses.error(code, "m", "corr-1");
            assertThat(e.getTrailers().get(Statuses.ERROR_CODE)).isEqualTo(code.wireName());
            assertThat(e.getTrailers().get(Statuses.RETRY)).isEqualTo(Boolean.toString(code.retryable()));
            assertThat(e.getTrailers().get(Statuses.CORRELATION_ID)).isEqualTo("corr-1");
        }
        assertThat(HttpApi.httpStatus(ErrorCode.INTERNAL, true)).isEqualTo(504);
        assertThat(Statuses.error(ErrorCode.BAD_REQUEST, "m", "not ascii \u00e9").getTrailers()
                .get(Statuses.CORRELATION_ID)).isNull();
    }

    @Test
    void closeReasonsEndStreamsWithTypedStatuses() {
        Map<CloseReason.Kind, Status.Code> expected = Map.of(
                CloseReason.Kind.GOING_AWAY, Status.Code.UNAVAILABLE,
                CloseReason.Kind.OVERLOADED, Status.Code.UNAVAILABLE,
                CloseReason.Kind.SLOW_CONSUMER, Status.Code.RESOURCE_EXHAUSTED,
                CloseReason.Kind.POLICY, Status.Code.RESOURCE_EXHAUSTED,
                CloseReason.Kind.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED,
                CloseReason.Kind.TOKEN_EXPIRED, Status.Code.UNAUTHENTICATED,
                CloseReason.Kind.INTERNAL, Status.Code.INTERNAL,
                CloseReason.Kind.KICKED, Status.Code.ABORTED);
        assertThat(expected).hasSize(CloseReason.Kind.values().length);
        expected.forEach((kind, code) -> {
            var e = Statuses.closed(new CloseReason(kind, "why"));
            assertThat(e.getStatus().getCode()).as(kind.name()).isEqualTo(code);
            assertThat(e.getTrailers().get(Statuses.CLOSE_REASON)).isEqualTo(kind.name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    @Test
    void optionsAreValidatedWithTheirNames() {
        GrpcConfig c = GrpcConfig.fromSettings(GatewaySettings.newBuilder().options(Map.of(
                "grpc-max-message-bytes", "100000", "grpc-keepalive-min", "5s",
                "grpc-service-session-idle", "500ms", "http-api", "false")).build(), 65536);
        assertThat(c.maxMessageBytes()).isEqualTo(100_000);
        assertThat(c.keepAliveMin()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.serviceSessionIdle()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.httpApi()).isFalse();
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        assertThat(GrpcConfig.fromSettings(GatewaySettings.newBuilder().build(), 1000).maxMessageBytes())
                .isEqualTo(1000 + GrpcConfig.FIELD_HEADROOM);
        for (Map.Entry<String, String> bad : List.of(Map.entry("grpc-max-message-bytes", "lots"),
                Map.entry("grpc-max-message-bytes", "10"), Map.entry("grpc-keepalive-min", "soon"),
                Map.entry("grpc-service-session-idle", "1ms"), Map.entry("http-api", "maybe"),
                Map.entry("grpc-tls-cert", "/tmp/only-the-cert.pem"))) {
            assertThatThrownBy(() -> GrpcConfig.fromSettings(GatewaySettings.newBuilder()
                    .options(Map.of(bad.getKey(), bad.getValue())).build(), 65536))
                    .as(bad.toString()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void payloadsAreCutOutOfBodiesByteForByte() {
        for (int i = 0; i < 300; i++) {
            long seed = 0xbeefL + i;
            SplittableRandom random = new SplittableRandom(seed);
            String payload = randomJson(random, 3);
            String body = "{\"type\":\"message\", \"payload\" :" + payload + " ,\"room\":\"chat.x\",\"extra\":[1,{\"a\":null}]}";
            ApiJson.Command c = ApiJson.command(body.getBytes(StandardCharsets.UTF_8));
            assertThat(new String(c.payload(), StandardCharsets.UTF_8)).as("seed " + seed).isEqualTo(payload);
            assertThat(c.room()).isEqualTo("chat.x");
        }
    }

    @Test
    void malformedBodiesAreBadRequests() {
        for (String body : List.of("", "[]", "{", "{\"room\":1,\"type\":\"t\",\"payload\":{}}", "{\"type\":\"t\",\"payload\":1}",
                "{\"room\":\"chat.x\",\"payload\":1}", "{\"room\":\"chat.x\",\"type\":\"t\",\"payload\":1} {}")) {
            assertThatThrownBy(() -> ApiJson.command(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        }
        assertThatThrownBy(() -> ApiJson.command("{\"room\":\"chat.x\",\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_PAYLOAD));
        assertThatThrownBy(() -> ApiJson.batch("{\"commands\":[1]}".getBytes(StandardCharsets.UTF_8), 10))
                .isInstanceOf(SyncException.class);
    }

    private static String randomJson(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 4 : 6);
        return switch (kind) {
            case 0 -> Integer.toString(r.nextInt(-1000, 1000));
            case 1 -> "\"s" + r.nextInt(100) + (r.nextBoolean() ? "\\\"q\\u00e9" : "") + " \"";
            case 2 -> r.nextBoolean() ? "true" : "null";
            case 3 -> r.nextInt(10) + "." + r.nextInt(1000) + "e" + r.nextInt(5);
            case 4 -> {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : " , ").append(randomJson(r, depth - 1));
                }
                yield b.append("]").toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{ ");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(randomJson(r, depth - 1));
                }
                yield b.append("}").toString();
            }
        };
    }
}
