package io.playconnect.gateway.websocket;

import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.testkit.NodeSuite;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the Node contract suite ({@code clients/ws-contract-test}) against an in-process server.
 * Without node and npm the test is skipped, except under {@code CI=true}, where it fails.
 */
class NodeContractTest {
    static final int RETENTION = 20;
    static final Path SUITE = Path.of("..", "clients", "ws-contract-test");

    @Test
    void theNodeSuitePasses() throws Exception {
        NodeSuite suite = NodeSuite.prepare(SUITE, "ws");
        try (GatewayFixture fx = GatewayFixture.newBuilder()
                .roomLog(RoomLogConfig.newBuilder().maxRecordsPerRoom(RETENTION).build())
                .build()) {
            suite.run(List.of("npm", "test"), Map.of(
                    "PLAYCONNECT_WS_URL", fx.wsUri.toString(),
                    "PLAYCONNECT_TOKEN_SECRET", GatewayFixture.SECRET_TEXT,
                    "PLAYCONNECT_LOG_MAX_RECORDS", Integer.toString(RETENTION)), 120);
        }
    }
}
