package io.playconnect.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import io.playconnect.core.trace.LogContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's logback.xml in JSON mode: SLF4J and System.Logger lines, with and without a message's MDC. */
class JsonLogsTest {
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void slf4jAndSystemLoggerLinesAreJsonAndCarryTheMdcOnlyInsideTheHandling() {
        try (JsonLogCapture logs = new JsonLogCapture("INFO")) {
            LogContext.set(TRACE, "game.7", "conn-1", "websocket");
            try {
                LoggerFactory.getLogger("io.playconnect.test.Gateway").info("inside");
                System.getLogger("io.playconnect.test.Engine").log(System.Logger.Level.WARNING, "engine inside");
            } finally {
                LogContext.clear();
            }
            LoggerFactory.getLogger("io.playconnect.test.Gateway").info("after");

            List<JsonNode> lines = logs.lines();
            JsonNode inside = find(lines, "inside");
            assertThat(inside.path("level").asText()).isEqualTo("INFO");
            assertThat(inside.path("mdc").path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(inside.path("mdc").path("room").asText()).isEqualTo("game.7");
            assertThat(inside.path("mdc").path("connection_id").asText()).isEqualTo("conn-1");
            assertThat(inside.path("mdc").path("protocol").asText()).isEqualTo("websocket");
            JsonNode engine = find(lines, "engine inside");
            assertThat(engine.path("loggerName").asText()).isEqualTo("io.playconnect.test.Engine");
            assertThat(engine.path("mdc").path("room").asText()).isEqualTo("game.7");
            assertThat(find(lines, "after").path("mdc").has("room")).isFalse();
        }
    }

    @Test
    void aroundLabelsOneLineAndLeavesAnOuterContextAlone() {
        try (JsonLogCapture logs = new JsonLogCapture("INFO")) {
            org.slf4j.Logger log = LoggerFactory.getLogger("io.playconnect.test.Engine");
            LogContext.around(TRACE, "game.8", null, "mqtt", () -> log.error("alone"));
            LogContext.set(null, "game.9", "conn-9", "grpc");
            try {
                LogContext.around(TRACE, "game.8", null, "mqtt", () -> log.error("nested"));
                log.info("still outer");
            } finally {
                LogContext.clear();
            }
            List<JsonNode> lines = logs.lines();
            assertThat(find(lines, "alone").path("mdc").path("room").asText()).isEqualTo("game.8");
            assertThat(find(lines, "alone").path("mdc").path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(find(lines, "nested").path("mdc").path("room").asText()).isEqualTo("game.9");
            assertThat(find(lines, "still outer").path("mdc").path("connection_id").asText()).isEqualTo("conn-9");
        }
    }

    private static JsonNode find(List<JsonNode> lines, String message) {
        return lines.stream().filter(l -> message.equals(l.path("formattedMessage").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + lines));
    }
}
