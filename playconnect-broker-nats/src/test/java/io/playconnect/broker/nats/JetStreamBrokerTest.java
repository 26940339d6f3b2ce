package io.playconnect.broker.nats;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.RoomLogConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.playconnect.broker.nats.Recorded.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract suites do not cover: setup against an existing stream, reserved subjects, no server. */
class JetStreamBrokerTest {
    private static NatsServer server;

    @BeforeAll
    static void connect() {
        server = NatsServer.require();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        server.deleteTenants();
    }

    @Test
    void anExistingStreamWithOtherRetentionIsNotChangedAndTheBrokerRefusesToStart() throws Exception {
        String tenant = server.newTenant();
        JetStreamBroker first = JetStreamBroker.connect(server.options(tenant, RoomLogConfig.defaults()).build());
        first.close();
        RoomLogConfig other = RoomLogConfig.newBuilder().maxRecordsPerRoom(5).build();
        assertThatThrownBy(() -> JetStreamBroker.connect(server.options(tenant, other).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max messages per subject is 10000, expected 5");
        assertThat(server.jsm().getStreamInfo(tenant + "_PC_ROOMS").getConfiguration().getMaxMsgsPerSubject())
                .isEqualTo(10_000);
        JetStreamBroker again = JetStreamBroker.connect(server.options(tenant, RoomLogConfig.defaults()).build());
        again.close();
    }

    @Test
    void roomLogSubjectsAreReservedForAppends() {
        JetStreamBroker broker = server.broker(RoomLogConfig.defaults());
        try {
            assertThatThrownBy(() -> broker.publish("pc.log.chat.x", new byte[1])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> broker.publish("pc.live.chat.x", new byte[1])).isInstanceOf(IllegalArgumentException.class);
            assertThat(join(broker.roomLog().info(RoomId.of("chat", "x"))).lastSeq()).isZero();
        } finally {
            broker.close();
        }
    }

    @Test
    void unreachableServerIsUnavailable() {
        JetStreamBrokerOptions nowhere = JetStreamBrokerOptions.newBuilder().url("nats://127.0.0.1:1").build();
        assertThatThrownBy(() -> JetStreamBroker.connect(nowhere))
                .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }
}
