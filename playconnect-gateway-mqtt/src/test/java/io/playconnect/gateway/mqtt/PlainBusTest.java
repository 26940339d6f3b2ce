package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.broker.memory.InMemoryBroker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain topics as broker subjects: escaping round-trips, patterns cover what the filter covers. */
class PlainBusTest {

    @Test
    void anyTopicRoundTripsThroughItsSubject() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        try (InMemoryBroker broker = InMemoryBroker.create()) {
            PlainBus bus = new PlainBus(broker, "pc.mqtt");
            String alphabet = "ab/Z9_-. *>~é€\t";
            for (int i = 0; i < 5000; i++) {
                StringBuilder topic = new StringBuilder();
                int n = 1 + random.nextInt(12);
                for (int j = 0; j < n; j++) {
                    topic.appendCodePoint(alphabet.codePointAt(random.nextInt(alphabet.length())));
                }
                String t = topic.toString();
                String subject = bus.subject(t);
                assertThat(subject).as("seed %d topic %s", seed, t).matches("pc\\.mqtt(\\.[A-Za-z0-9_~-]+)+");
                assertThat(bus.topic(subject)).as("seed %d topic %s", seed, t).isEqualTo(t);
            }
        }
    }

    @Test
    void multiLevelWildcardAlsoCoversTheParent() {
        try (InMemoryBroker broker = InMemoryBroker.create()) {
            PlainBus bus = new PlainBus(broker, "pc.mqtt");
            assertThat(bus.patterns(TopicFilter.parse("a/#"))).containsExactly("pc.mqtt.a", "pc.mqtt.a.>");
            assertThat(bus.patterns(TopicFilter.parse("#"))).containsExactly("pc.mqtt.>");
            assertThat(bus.patterns(TopicFilter.parse("+/b"))).containsExactly("pc.mqtt.*.b");
        }
    }

    @Test
    void framesCarryQosOriginAndForwardedProperties() {
        try (InMemoryBroker broker = InMemoryBroker.create()) {
            PlainBus bus = new PlainBus(broker, "pc.mqtt");
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
            props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, new byte[] {1, 2}));
            props.add(new MqttProperties.UserProperty("k", "v"));
            byte[] frame = PlainBus.frame(1, "conn-1", props, "hello".getBytes(StandardCharsets.UTF_8));
            PlainBus.Delivery d = bus.parse("pc.mqtt.a.b", frame);
            assertThat(d.topic()).isEqualTo("a/b");
            assertThat(d.qos()).isEqualTo(1);
            assertThat(d.origin()).isEqualTo("conn-1");
            assertThat(new String(d.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(d.forward().getProperty(MqttProperties.CONTENT_TYPE).value()).isEqualTo("text/plain");
            assertThat((byte[]) d.forward().getProperty(MqttProperties.CORRELATION_DATA).value()).containsExactly(1, 2);
            assertThat(d.forward().getProperties(MqttProperties.USER_PROPERTY)).hasSize(1);
            assertThat(bus.parse("other.subject", frame)).isNull();
            assertThat(bus.parse("pc.mqtt.a", new byte[] {9})).isNull();
            assertThat(List.of(bus.subject("a//b"))).containsExactly("pc.mqtt.a.~.b");
        }
    }
}
