package io.playconnect.broker.memory;

import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryBrokerTest {

    @Test
    void builderChecksEachSettingByName() {
        assertThatThrownBy(() -> InMemoryBroker.newBuilder().maxMessageSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> InMemoryBroker.newBuilder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> InMemoryBroker.newBuilder().roomLogConfig(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("roomLogConfig");
    }

    @Test
    void defaultsAndToBuilder() {
        ManualClock clock = new ManualClock();
        RoomLogConfig config = RoomLogConfig.newBuilder().maxRecordsPerRoom(7).build();
        try (InMemoryBroker defaults = InMemoryBroker.create();
                InMemoryBroker custom = InMemoryBroker.newBuilder().roomLogConfig(config).maxMessageSize(99)
                        .clock(clock).build();
                InMemoryBroker copy = custom.toBuilder().build()) {
            assertThat(defaults.maxMessageSize()).isEqualTo(1 << 20);
            assertThat(defaults.clock()).isEqualTo(Clock.systemUTC());
            assertThat(defaults.roomLogConfig().maxRecordsPerRoom()).isEqualTo(10_000);
            assertThat(copy.maxMessageSize()).isEqualTo(99);
            assertThat(copy.clock()).isSameAs(clock);
            assertThat(copy.roomLogConfig()).isSameAs(config);
            assertThat(copy).isNotSameAs(custom);
        }
    }

    @Test
    void throwingHandlersAreCounted() {
        try (InMemoryBroker broker = InMemoryBroker.create()) {
            broker.subscribe("x", m -> {
                throw new IllegalStateException("handler failure (expected by the test)");
            });
            List<String> others = new ArrayList<>();
            broker.subscribe("x", m -> others.add("got"));
            broker.publish("x", new byte[0]);
            broker.publish("x", new byte[0]);
            assertThat(broker.handlerFailures()).isEqualTo(2);
            assertThat(others).hasSize(2);
        }
    }

    @Test
    void closeEndsSubscriptionsAndRefusesNewOnes() {
        InMemoryBroker broker = InMemoryBroker.create();
        List<String> got = new ArrayList<>();
        Subscription sub = broker.subscribe("x", m -> got.add("x"));
        broker.close();
        sub.close();
        assertThatThrownBy(() -> broker.subscribe("x", m -> { })).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.reason()).isEqualTo(BrokerException.Reason.UNAVAILABLE));
        assertThat(broker.roomLog().info(io.playconnect.core.RoomId.of("game", "1")).isCompletedExceptionally()).isTrue();
        assertThat(got).isEmpty();
        assertThat(broker.toString()).contains("closed");
    }
}
