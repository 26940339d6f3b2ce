package io.playconnect.gateway.grpc;

import io.playconnect.testkit.NodeSuite;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the Node suite {@code clients/grpc-contract-test} (@grpc/grpc-js with @grpc/proto-loader
 * loading {@code proto/}, grpc-health-check, a reflection client, fetch for the HTTP API) against an
 * in-process server. Without node and npm the test is skipped, except under {@code CI=true}, where it
 * fails.
 */
class NodeGrpcContractTest {
    static final Path SUITE = Path.of("..", "clients", "grpc-contract-test");
    static final Path PROTO = Path.of("..", "proto").toAbsolutePath().normalize();

    @Test
    void theNodeSuitePasses() throws Exception {
        NodeSuite suite = NodeSuite.prepare(SUITE, "@grpc/grpc-js");
        try (GrpcFixture server = GrpcFixture.start()) {
            suite.run(List.of("npm", "test"), Map.of(
                    "PLAYCONNECT_GRPC_ADDR", "127.0.0.1:" + server.grpcPort(),
                    "PLAYCONNECT_HTTP_URL", server.httpUri.toString(),
                    "PLAYCONNECT_PROTO_DIR", PROTO.toString(),
                    "PLAYCONNECT_TOKEN_SECRET", new String(GrpcFixture.SECRET, StandardCharsets.UTF_8)), 120);
        }
    }
}
