package io.playconnect.gateway.mqtt;

import io.playconnect.edge.spi.GatewaySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttConfigTest {

    private static MqttConfig from(Map<String, String> options) {
        return MqttConfig.fromSettings(GatewaySettings.newBuilder().options(options).build(), 1000);
    }

    @Test
    void fromSettingsReadsTheTypedOptions() {
        MqttConfig c = from(Map.of("mqtt-allow-anonymous", "yes", "mqtt-anonymous-token", "t",
                "mqtt-receive-maximum", " 8 ", "mqtt-max-queued", "16", "mqtt-max-keepalive", "30",
                "mqtt-io-threads", "2", "mqtt-close-timeout", "500ms", "mqtt-write-buffer-high", "524288",
                "mqtt-websocket-path", "off", "mqtt-room-kinds", "game, chat"));
        assertThat(c.allowAnonymous()).isTrue();
        assertThat(c.receiveMaximum()).isEqualTo(8);
        assertThat(c.maxQueuedPublishes()).isEqualTo(16);
        assertThat(c.maxKeepAliveSeconds()).isEqualTo(30);
        assertThat(c.ioThreads()).isEqualTo(2);
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.writeBufferLowWaterMark()).as("default kept").isEqualTo(32 * 1024);
        assertThat(c.writeBufferHighWaterMark()).isEqualTo(524288);
        assertThat(c.websocketPath()).isNull();
        assertThat(c.roomKinds()).containsExactlyInAnyOrder("game", "chat");
        assertThat(c.maxPacketBytes()).isEqualTo(1000 + MqttConfig.PACKET_SLACK_BYTES);
    }

    @Test
    void withoutOptionsTheDefaultsHold() {
        MqttConfig c = from(Map.of());
        MqttConfig d = MqttConfig.newBuilder().maxPacketBytes(1000 + MqttConfig.PACKET_SLACK_BYTES).build();
        assertThat(c.toString()).isEqualTo(d.toString());
        assertThat(c.closeTimeout()).isEqualTo(d.closeTimeout());
        assertThat(c.writeBufferHighWaterMark()).isEqualTo(d.writeBufferHighWaterMark());
    }

    @Test
    void badOptionsNameThemselves() {
        for (var bad : Map.of("mqtt-receive-maximum", "many", "mqtt-close-timeout", "soon",
                "mqtt-allow-anonymous", "perhaps", "mqtt-io-threads", "1.5").entrySet()) {
            assertThatThrownBy(() -> from(Map.of(bad.getKey(), bad.getValue()))).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(bad.getKey() + " must be");
        }
        assertThatThrownBy(() -> from(Map.of("mqtt-tls-cert", "c.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqtt-tls-key");
    }

    @Test
    void sessionOptions() {
        MqttConfig c = from(Map.of("mqtt-session-expiry-default", "10m", "mqtt-session-expiry-max", "PT1H",
                "mqtt-session-max-inflight", "8"));
        assertThat(c.sessionExpiryDefault()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.sessionExpiryMax()).isEqualTo(Duration.ofHours(1));
        assertThat(c.sessionMaxInflight()).isEqualTo(8);
        assertThat(from(Map.of()).sessionMaxInflight()).isEqualTo(32);
        assertThatThrownBy(() -> from(Map.of("mqtt-session-expiry-max", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mqtt-session-expiry-max must be");
        assertThatThrownBy(() -> from(Map.of("mqtt-session-expiry-default", "500ms")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("sessionExpiryDefault must be");
        assertThatThrownBy(() -> from(Map.of("mqtt-session-max-inflight", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("sessionMaxInflight must be");
    }
}
