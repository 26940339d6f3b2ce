package io.playconnect.gateway.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The MQTT 5 properties the gateway reads and rewrites on delivery. */
class PublishPropertiesTest {

    private static List<Object> values(MqttProperties p, int id) {
        return p.getProperties(id).stream().map(x -> (Object) x.value()).toList();
    }

    @Test
    void deliveryPropertiesReplaceOnlyWhatIsGiven() {
        MqttProperties base = RawV5.props(RawV5.integer(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 60),
                new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
        MqttProperties withIds = PublishProperties.forDelivery(base, -1, 0, List.of(3, 4));
        assertThat(values(withIds, MqttProperties.PUBLICATION_EXPIRY_INTERVAL)).as("expiry kept").containsExactly(60);
        assertThat(values(withIds, MqttProperties.SUBSCRIPTION_IDENTIFIER)).containsExactly(3, 4);
        MqttProperties later = PublishProperties.forDelivery(withIds, 10_500, 1_000, List.of());
        assertThat(values(later, MqttProperties.PUBLICATION_EXPIRY_INTERVAL)).as("9.5 s left, rounded up").containsExactly(10);
        assertThat(values(later, MqttProperties.SUBSCRIPTION_IDENTIFIER)).as("identifiers kept").containsExactly(3, 4);
        assertThat(values(later, MqttProperties.CONTENT_TYPE)).containsExactly("text/plain");
        assertThat(values(base, MqttProperties.SUBSCRIPTION_IDENTIFIER)).as("the shared base is never changed").isEmpty();
        assertThat(PublishProperties.forDelivery(base, -1, 0, List.of())).isSameAs(base);
    }

    @Test
    void payloadFormatAndTraceparentAreRead() {
        MqttProperties utf8 = RawV5.props(RawV5.integer(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        assertThat(PublishProperties.payloadFormatHolds(utf8, Unpooled.copiedBuffer(new byte[] {'o', 'k'}))).isTrue();
        assertThat(PublishProperties.payloadFormatHolds(utf8, Unpooled.copiedBuffer(new byte[] {(byte) 0xC3, 0x28})))
                .isFalse();
        assertThat(PublishProperties.payloadFormatHolds(new MqttProperties(),
                Unpooled.copiedBuffer(new byte[] {(byte) 0xFF}))).as("no indicator: any bytes").isTrue();
        MqttProperties users = RawV5.props(new MqttProperties.UserProperty("a", "1"),
                new MqttProperties.UserProperty("traceparent", "00-abc-def-01"));
        assertThat(PublishProperties.traceparent(users)).isEqualTo("00-abc-def-01");
        assertThat(PublishProperties.traceparent(new MqttProperties())).isNull();
        assertThat(PublishProperties.expirySeconds(RawV5.props(RawV5.integer(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                -1)))).as("unsigned").isEqualTo(0xFFFF_FFFFL);
    }
}
