package io.playconnect.gateway.mqtt;

import io.playconnect.testkit.NodeSuite;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the Node suite {@code clients/mqtt-contract-test} (MQTT.js) against an in-process server.
 * Without node and npm the test is skipped, except under {@code CI=true}, where it fails.
 */
class NodeMqttContractTest {
    static final Path SUITE = Path.of("..", "clients", "mqtt-contract-test");

    @Test
    void theNodeSuitePasses() throws Exception {
        NodeSuite suite = NodeSuite.prepare(SUITE, "mqtt");
        try (MqttFixture server = MqttFixture.start()) {
            String ws = server.listeners.stream().filter(l -> l.name().equals("mqtt-ws")).findFirst()
                    .orElseThrow().uri().toString();
            suite.run(List.of("npm", "test"), Map.of(
                    "PLAYCONNECT_MQTT_URL", server.tcpUri.toString(),
                    "PLAYCONNECT_MQTT_WS_URL", ws,
                    "PLAYCONNECT_TOKEN_SECRET", new String(MqttFixture.SECRET, StandardCharsets.UTF_8)), 120);
        }
    }
}
