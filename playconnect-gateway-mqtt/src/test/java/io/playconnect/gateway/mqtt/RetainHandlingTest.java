package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 Retain Handling on plain topics: 0 sends the retained messages on every SUBSCRIBE, 1 only
 * when the subscription is new, 2 never. Retained messages are fetched in the order of the
 * SUBSCRIBE packets, so a copy that should not come would arrive before the one that should.
 */
class RetainHandlingTest extends MqttFixture.SharedServer {
    private static final MqttMessage PINGREQ = new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));

    private static MqttMessage subscribe(int packetId, String filter, int retainHandling, int id) {
        return MqttMessageBuilders.subscribe().messageId(packetId)
                .addSubscription(filter, new MqttSubscriptionOption(MqttQoS.AT_MOST_ONCE, false, false,
                        MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(retainHandling)))
                .properties(RawV5.props(RawV5.integer(MqttProperties.SUBSCRIPTION_IDENTIFIER, id))).build();
    }

    /** The next PUBLISH: retained, with this subscription identifier. */
    private static void expectRetained(RawMqtt raw, int id) {
        MqttMessage m = raw.next(Duration.ofSeconds(10));
        while (m != null && m.fixedHeader().messageType() == MqttMessageType.SUBACK) {
            m = raw.next(Duration.ofSeconds(10));
        }
        assertThat(m).isInstanceOf(MqttPublishMessage.class);
        MqttPublishMessage p = (MqttPublishMessage) m;
        assertThat(RawV5.payload(p)).isEqualTo("kept");
        assertThat(p.fixedHeader().isRetain()).isTrue();
        assertThat(RawV5.intProperty(p, MqttProperties.SUBSCRIPTION_IDENTIFIER)).as("which subscription sent it").isEqualTo(id);
        p.release();
    }

    @Test
    void retainHandlingDecidesWhetherTheRetainedMessageComes() {
        int n = MqttFixture.nextRoom();
        String topic = "rh/" + n + "/t";
        try (RawMqtt pub = RawV5.connect(server, "rh-pub-" + n, "rp", new MqttProperties(), null)) {
            pub.send(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(1).retained(true)
                    .payload(io.netty.buffer.Unpooled.copiedBuffer("kept", java.nio.charset.StandardCharsets.UTF_8))
                    .properties(new MqttProperties()).build());
            pub.expect(MqttMessageType.PUBACK);
            try (RawMqtt raw = RawV5.connect(server, "rh-" + n, "rh", new MqttProperties(), null)) {
                raw.send(subscribe(1, "rh/" + n + "/+", 2, 1));
                raw.send(subscribe(2, "rh/" + n + "/#", 0, 2));
                expectRetained(raw, 2);
                raw.send(subscribe(3, "rh/" + n + "/#", 1, 3));
                raw.send(subscribe(4, "rh/" + n + "/+", 0, 4));
                expectRetained(raw, 4);
                raw.send(PINGREQ);
                MqttMessage m;
                while ((m = raw.next(Duration.ofSeconds(10))) != null && m.fixedHeader().messageType() == MqttMessageType.SUBACK) {
                    // skip the SUBACKs
                }
                assertThat(m).isNotNull();
                assertThat(m.fixedHeader().messageType()).as("nothing else before the PINGRESP").isEqualTo(MqttMessageType.PINGRESP);
            }
            pub.send(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(2).retained(true)
                    .payload(io.netty.buffer.Unpooled.EMPTY_BUFFER).properties(new MqttProperties()).build());
            pub.expect(MqttMessageType.PUBACK);
        }
    }

    /** A retained message keeps its expiry: once it has passed, a new subscriber does not get it. */
    @Test
    void anExpiredRetainedMessageIsNotSentToNewSubscribers() {
        int n = MqttFixture.nextRoom();
        String shortLived = "rhx/" + n + "/short";
        String longLived = "rhx/" + n + "/long";
        try (RawMqtt pub = RawV5.connect(server, "rhx-pub-" + n, "rp", new MqttProperties(), null)) {
            long sent = System.currentTimeMillis();
            for (String[] t : new String[][] {{shortLived, "1"}, {longLived, "3600"}}) {
                pub.send(MqttMessageBuilders.publish().topicName(t[0]).qos(MqttQoS.AT_LEAST_ONCE).messageId(1)
                        .retained(true).payload(io.netty.buffer.Unpooled.copiedBuffer("kept",
                                java.nio.charset.StandardCharsets.UTF_8))
                        .properties(RawV5.props(RawV5.integer(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                                Integer.parseInt(t[1])))).build());
                pub.expect(MqttMessageType.PUBACK);
            }
            // The subject of this test is time passing: wait (bounded) until the short interval is over.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> System.currentTimeMillis() - sent > 1_100);
            try (RawMqtt raw = RawV5.connect(server, "rhx-" + n, "rh", new MqttProperties(), null)) {
                raw.send(subscribe(1, "rhx/" + n + "/+", 0, 1));
                MqttMessage m = raw.next(Duration.ofSeconds(10));
                while (m != null && m.fixedHeader().messageType() == MqttMessageType.SUBACK) {
                    m = raw.next(Duration.ofSeconds(10));
                }
                assertThat(m).isInstanceOf(MqttPublishMessage.class);
                MqttPublishMessage p = (MqttPublishMessage) m;
                assertThat(p.variableHeader().topicName()).as("only the one not expired").isEqualTo(longLived);
                assertThat(RawV5.intProperty(p, MqttProperties.PUBLICATION_EXPIRY_INTERVAL)).isBetween(3500, 3599);
                p.release();
                raw.send(PINGREQ);
                assertThat(raw.expect(MqttMessageType.PINGRESP)).isNotNull();
            }
            pub.send(MqttMessageBuilders.publish().topicName(longLived).qos(MqttQoS.AT_LEAST_ONCE).messageId(2)
                    .retained(true).payload(io.netty.buffer.Unpooled.EMPTY_BUFFER).properties(new MqttProperties()).build());
            pub.expect(MqttMessageType.PUBACK);
        }
    }
}
