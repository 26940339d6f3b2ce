package io.playconnect.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --gateways}: one process per protocol, so each protocol's Deployment scales on its own. */
class GatewaysOptionTest {
    private static final String SECRET = "gateways-option-test-secret-0123456789";

    @Test
    void onlyTheNamedGatewaysStart() {
        try (RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0)).tokenSecret(SECRET)
                .gateways(List.of("mqtt")).build())) {
            assertThat(server.listeners()).extracting(Listener::name).containsExactlyInAnyOrder("http", "mqtt", "mqtt-ws");
        }
    }

    @Test
    void withoutTheOptionEveryGatewayStarts() {
        try (RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0)).tokenSecret(SECRET).build())) {
            assertThat(server.listeners()).extracting(Listener::name).contains("ws", "mqtt", "grpc");
        }
    }

    @Test
    void fromTheCommandLineAndTheEnvironment() {
        ServerConfig flag = Cli.parseRun(Map.of(), "run", "--gateways", "websocket,grpc");
        ServerConfig env = Cli.parseRun(Map.of("PLAYCONNECT_GATEWAYS", "mqtt"), "run");
        assertThat(flag.gateways()).isEqualTo(Set.of("websocket", "grpc"));
        assertThat(env.gateways()).isEqualTo(Set.of("mqtt"));
        assertThat(Cli.parseRun(Map.of(), "run").gateways()).isEmpty();
    }

    @Test
    void anUnknownGatewayIsAConfigurationErrorNamingTheOnesThereAre() {
        Cli.Outcome o = Cli.execute(Map.of(), "run", "--http-port", "0", "--token-secret", SECRET, "--gateways", "websocket,stomp");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLines().get(0)).isEqualTo(
                "playconnect: --gateways: no gateway 'stomp' in this build (there are: grpc, mqtt, websocket)");
    }

    @Test
    void gatewaysWithoutTheGatewayRoleAreRefused() {
        Cli.Outcome o = Cli.execute(Map.of(), "run", "--http-port", "0", "--token-secret", SECRET,
                "--roles", "engine", "--gateways", "mqtt");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLines().get(0)).isEqualTo("playconnect: --gateways mqtt: only with the gateway role (--roles gateway)");
    }

    @Test
    void aMalformedNameIsRefusedWithTheParameterName() {
        assertThatThrownBy(() -> ServerConfig.newBuilder().gateways(List.of("Web Socket")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gateways: not a protocol name: 'Web Socket'");
        Cli.Outcome o = Cli.execute(Map.of(), "run", "--http-port", "0", "--token-secret", SECRET, "--gateways", "../x");
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains("--gateways").contains("'../x'");
    }
}
