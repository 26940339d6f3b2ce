package io.playconnect.gateway.mqtt;

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
 * Runs the Node suite {@code clients/mqtt-contract-test} (MQTT.js) against an in-process server.
 * Without node and npm the test is skipped, except under {@code CI=true}, where it fails.
 */
class NodeMqttContractTest {
    static final Path SUITE = Path.of("..", "clients", "mqtt-contract-test").toAbsolutePath().normalize();

    @Test
    void theNodeSuitePasses() throws Exception {
        for (String tool : List.of("node", "npm")) {
            if (!onPath(tool)) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(tool + " is not on the PATH, and CI=true requires the Node MQTT suite to run");
                }
                Assumptions.abort(tool + " is not installed: skipping the Node MQTT suite");
            }
        }
        assertThat(SUITE.resolve("package.json")).exists();
        if (!Files.isDirectory(SUITE.resolve("node_modules").resolve("mqtt"))) {
            run(List.of("npm", "install", "--no-audit", "--no-fund"), Map.of(), 180);
        }
        try (MqttFixture server = MqttFixture.start()) {
            String ws = server.listeners.stream().filter(l -> l.name().equals("mqtt-ws")).findFirst()
                    .orElseThrow().uri().toString();
            run(List.of("npm", "test"), Map.of(
                    "PLAYCONNECT_MQTT_URL", server.tcpUri.toString(),
                    "PLAYCONNECT_MQTT_WS_URL", ws,
                    "PLAYCONNECT_TOKEN_SECRET", new String(MqttFixture.SECRET, StandardCharsets.UTF_8)), 120);
        }
    }

    private static void run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        File log = Files.createTempFile("mqtt-contract", ".log").toFile();
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
