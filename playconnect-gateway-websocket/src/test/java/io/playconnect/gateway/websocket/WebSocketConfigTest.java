package io.playconnect.gateway.websocket;

import io.playconnect.edge.spi.GatewaySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketConfigTest {

    @Test
    void defaults() {
        WebSocketConfig c = WebSocketConfig.newBuilder().build();
        assertThat(c.path()).isEqualTo("/ws");
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.maxMessageBytes()).isEqualTo(64 * 1024 + 4096);
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }

    @Test
    void fromSettingsTakesTheOriginsTheEdgeLimitAndTheOptions() {
        GatewaySettings s = GatewaySettings.newBuilder().allowedOrigins(List.of("https://a.example"))
                .options(Map.of("ping-interval", "5s", "close-timeout", "250ms", "write-buffer-high", "131072",
                        "io-threads", "2", "socket-send-buffer", "16384"))
                .build();
        WebSocketConfig c = WebSocketConfig.fromSettings(s, 1000);
        assertThat(c.allowedOrigins()).containsExactly("https://a.example");
        assertThat(c.maxMessageBytes()).isEqualTo(1000 + WebSocketConfig.ENVELOPE_SLACK_BYTES);
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.idleTimeout()).as("twice the ping interval unless set").isEqualTo(Duration.ofSeconds(10));
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.writeBufferHighWaterMark()).isEqualTo(131072);
        assertThat(c.ioThreads()).isEqualTo(2);
        assertThat(c.socketSendBuffer()).isEqualTo(16384);
    }

    @Test
    void durationsParseInSeveralSpellings() {
        WebSocketConfig c = WebSocketConfig.fromSettings(GatewaySettings.newBuilder()
                .options(Map.of("ping-interval", "20", "idle-timeout", " 2m ", "close-timeout", "PT1.5S")).build(), 1000);
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> WebSocketConfig.fromSettings(GatewaySettings.newBuilder()
                .options(Map.of("ping-interval", "soon")).build(), 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ping-interval");
    }

    @Test
    void withoutOptionsTheDefaultsHold() {
        WebSocketConfig c = WebSocketConfig.fromSettings(GatewaySettings.newBuilder().build(), 1000);
        WebSocketConfig d = WebSocketConfig.newBuilder().maxMessageBytes(1000 + WebSocketConfig.ENVELOPE_SLACK_BYTES).build();
        assertThat(c.toString()).isEqualTo(d.toString());
        assertThat(WebSocketConfig.fromSettings(GatewaySettings.newBuilder()
                .options(Map.of("idle-timeout", "30s")).build(), 1000).pingInterval()).isEqualTo(d.pingInterval());
    }

    @Test
    void invalidValuesNameTheParameter() {
        WebSocketConfig.Builder b = WebSocketConfig.newBuilder();
        for (Runnable bad : Arrays.<Runnable>asList(
                () -> b.path("ws"), () -> b.maxMessageBytes(10), () -> b.pingInterval(Duration.ZERO),
                () -> b.idleTimeout(Duration.ofSeconds(-1)), () -> b.closeTimeout(Duration.ZERO),
                () -> b.retryAfter(Duration.ofMillis(10)), () -> b.writeBufferWaterMarks(10, 5), () -> b.ioThreads(-1),
                () -> b.socketSendBuffer(-1))) {
            assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("(path|maxMessageBytes|pingInterval|idleTimeout|closeTimeout|retryAfter"
                            + "|writeBufferHighWaterMark|ioThreads|socketSendBuffer) .*");
        }
        assertThatThrownBy(() -> WebSocketConfig.newBuilder().pingInterval(Duration.ofSeconds(45)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("idleTimeout");
        assertThatThrownBy(() -> WebSocketConfig.fromSettings(GatewaySettings.newBuilder()
                .options(Map.of("io-threads", "many")).build(), 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("io-threads");
    }
}
