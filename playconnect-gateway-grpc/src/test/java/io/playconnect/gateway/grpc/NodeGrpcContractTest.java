package io.playconnect.gateway.grpc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the Node suite {@code clients/grpc-contract-test} (@grpc/grpc-js with @grpc/proto-loader
 * loading {@code proto/}, grpc-health-check, a reflection client, fetch for the HTTP API) against an
 * in-process server. Without node and npm the test is skipped, except under {@code CI=true}, where it
 * fails.
 */
class NodeGrpcContractTest {
    static final Path SUITE = Path.of("..", "clients", "grpc-contract-test").toAbsolutePath().normalize();
    static final Path PROTO = Path.of("..", "proto").toAbsolutePath().normalize();

    @Test
    void theNodeSuitePasses() throws Exception {
        for (String tool : List.of("node", "npm")) {
            if (!onPath(tool)) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(tool + " is not on the PATH, and CI=true requires the Node gRPC suite to run");
                }
                Assumptions.abort(tool + " is not installed: skipping the Node gRPC suite");
            }
        }
        assertThat(SUITE.resolve("package-lock.json")).exists();
        if (!Files.isDirectory(SUITE.resolve("node_modules").resolve("@grpc").resolve("grpc-js"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        try (GrpcFixture server = GrpcFixture.start()) {
            run(List.of("npm", "test"), Map.of(
                    "PLAYCONNECT_GRPC_ADDR", "127.0.0.1:" + server.grpcPort(),
                    "PLAYCONNECT_HTTP_URL", server.httpUri.toString(),
                    "PLAYCONNECT_PROTO_DIR", PROTO.toString(),
                    "PLAYCONNECT_TOKEN_SECRET", new String(GrpcFixture.SECRET, StandardCharsets.UTF_8)), 120);
        }
    }

    private static void run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        File log = Files.createTempFile("grpc-contract", ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(command).directory(SUITE.toFile())
                .redirectErrorStream(true).redirectOutput(log);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        System.out.println(String.join(" ", command) + " output:\n" + output);
        assertThat(done).as(command + " finished within " + timeoutSeconds + " s").isTrue();
        assertThat(p.exitValue()).as(command + " exit status; output:\n" + output).isZero();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
