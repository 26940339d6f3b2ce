package io.playconnect.broker.nats;

import io.nats.client.api.StorageType;
import io.playconnect.core.spi.RoomLogConfig;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options are validated at the edge, with the parameter's name in the message. No server needed. */
class JetStreamBrokerOptionsTest {

    private static void refused(String parameter, Consumer<JetStreamBrokerOptions.Builder> set) {
        JetStreamBrokerOptions.Builder b = JetStreamBrokerOptions.newBuilder();
        assertThatThrownBy(() -> set.accept(b)).as(parameter)
                .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
                .hasMessageContaining(parameter);
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        refused("url", b -> b.url(" "));
        refused("url", b -> b.url(null));
        refused("tenant", b -> b.tenant("a_b"));
        refused("tenant", b -> b.tenant("a.b"));
        refused("tenant", b -> b.tenant(""));
        refused("streamName", b -> b.streamName("A.B"));
        refused("streamName", b -> b.streamName(null));
        refused("replicas", b -> b.replicas(0));
        refused("replicas", b -> b.replicas(6));
        refused("requestTimeout", b -> b.requestTimeout(Duration.ZERO));
        refused("duplicateWindow", b -> b.duplicateWindow(Duration.ofSeconds(-1)));
        refused("dispatchers", b -> b.dispatchers(0));
        refused("roomLogConfig", b -> b.roomLogConfig(null));
        refused("storageType", b -> b.storageType(null));
        refused("connectionName", b -> b.connectionName(""));
    }

    @Test
    void defaultsAndToBuilderRoundTrip() {
        JetStreamBrokerOptions d = JetStreamBrokerOptions.newBuilder().build();
        assertThat(d.url()).isEqualTo("nats://127.0.0.1:4222");
        assertThat(d.tenant()).isNull();
        assertThat(d.streamName()).isEqualTo("PC_ROOMS");
        assertThat(d.storageType()).isEqualTo(StorageType.File);
        assertThat(d.replicas()).isEqualTo(1);
        JetStreamBrokerOptions o = JetStreamBrokerOptions.newBuilder().url("nats://h:1").tenant("acme-1")
                .streamName("ROOMS").roomLogConfig(RoomLogConfig.newBuilder().maxRecordsPerRoom(7).build())
                .storageType(StorageType.Memory).replicas(3).requestTimeout(Duration.ofSeconds(2))
                .duplicateWindow(Duration.ofSeconds(30)).connectionName("gw").dispatchers(4).build();
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
        assertThat(o.toBuilder().tenant(null).build().tenant()).isNull();
    }

    @Test
    void namesKeepTenantsApart() {
        Names acme = new Names("acme", "PC_ROOMS");
        Names none = new Names(null, "PC_ROOMS");
        assertThat(acme.subject("pc.cmd.1")).isEqualTo("acme.pc.cmd.1");
        assertThat(acme.strip("acme.pc.cmd.1")).isEqualTo("pc.cmd.1");
        assertThat(acme.strip("other.x")).isEqualTo("other.x");
        assertThat(acme.stream()).isEqualTo("acme_PC_ROOMS");
        assertThat(acme.bucket("pc-leases")).isEqualTo("acme_pc-leases");
        assertThat(none.bucket("pc-leases")).isEqualTo("pc-leases");
        assertThat(none.logWildcard()).isEqualTo("pc.log.>");
        assertThat(acme.liveWildcard()).isEqualTo("acme.pc.live.>");
    }
}
