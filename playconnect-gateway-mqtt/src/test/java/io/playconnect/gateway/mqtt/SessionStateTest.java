package io.playconnect.gateway.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored form of a session: everything round-trips; truncated or foreign bytes are refused, never half-read. */
class SessionStateTest {

    private static SessionState sample() {
        SessionState s = new SessionState();
        s.user = "ann";
        s.clientId = "dev-1";
        s.expirySeconds = 7200;
        s.tag = "abcd1234";
        s.counter = 42;
        s.subscriptions.add(new SessionState.StoredSub("game/7/#", 1, 0, 0));
        s.subscriptions.add(new SessionState.StoredSub("sensors/+/t", 2, 4 | 8 | (2 << 4), 99));
        s.positions.put(RoomId.of("game", "7"), new StreamPosition("ep1", 12));
        s.inboundIds.put(7, "mqtt:dev-1:abcd1234:41:7");
        s.awaitingRelease.add(7);
        MqttProperties forwarded = new MqttProperties();
        forwarded.add(new MqttProperties.UserProperty("k", "v"));
        forwarded.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 99));
        forwarded.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 5));
        forwarded.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 30));
        s.outbound.add(new OutboundPublisher.Inflight(3, 1, "game/7/move", false, MqttEvent.JSON_PROPERTIES,
                Unpooled.copiedBuffer("{\"seq\":12}", StandardCharsets.UTF_8)));
        s.outbound.add(new OutboundPublisher.Inflight(4, 2, "sensors/a/t", true, forwarded,
                Unpooled.copiedBuffer("21.5", StandardCharsets.UTF_8)));
        OutboundPublisher.Inflight released = new OutboundPublisher.Inflight(5, 2, "sensors/b/t", false,
                MqttProperties.NO_PROPERTIES, null);
        released.released = true;
        s.outbound.add(released);
        return s;
    }

    @Test
    void everythingRoundTrips() {
        SessionState back = SessionState.decode(sample().encode());
        assertThat(back.user).isEqualTo("ann");
        assertThat(back.clientId).isEqualTo("dev-1");
        assertThat(back.expirySeconds).isEqualTo(7200);
        assertThat(back.tag).isEqualTo("abcd1234");
        assertThat(back.counter).isEqualTo(42);
        assertThat(back.subscriptions).containsExactlyElementsOf(sample().subscriptions);
        assertThat(back.positions).containsEntry(RoomId.of("game", "7"), new StreamPosition("ep1", 12));
        assertThat(back.inboundIds).containsEntry(7, "mqtt:dev-1:abcd1234:41:7");
        assertThat(back.awaitingRelease).containsExactly(7);
        assertThat(back.outbound).extracting(f -> f.packetId).containsExactly(3, 4, 5);
        assertThat(back.outbound.get(0).properties).isSameAs(MqttEvent.JSON_PROPERTIES);
        assertThat(back.outbound.get(0).payload.toString(StandardCharsets.UTF_8)).isEqualTo("{\"seq\":12}");
        OutboundPublisher.Inflight plain = back.outbound.get(1);
        assertThat(plain.retain).isTrue();
        assertThat(plain.qos).isEqualTo(2);
        assertThat(plain.properties.getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER))
                .extracting(p -> p.value()).containsExactlyInAnyOrder(99, 5);
        assertThat(plain.properties.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL).value()).isEqualTo(30);
        assertThat(plain.properties.getProperties(MqttProperties.USER_PROPERTY)).hasSize(1);
        assertThat(back.outbound.get(2).released).isTrue();
        assertThat(back.outbound.get(2).payload).isNull();
        back.releaseOutbound();
    }

    @Test
    void truncatedOrForeignBytesAreRefused() {
        byte[] good = sample().encode();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            int cut = random.nextInt(good.length);
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> SessionState.decode(truncated)).as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SessionState.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionState.decode("{\"json\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
