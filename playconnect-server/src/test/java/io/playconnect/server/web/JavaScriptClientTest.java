package io.playconnect.server.web;

import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the JavaScript client's own suites (Node's test runner) and its browser suite (headless
 * Debian Chromium through playwright-core) against a server in this JVM with the demo pages and
 * {@code --dev} on. Without node, npm or chromium they are skipped, except under CI=true, where
 * that is a failure.
 */
class JavaScriptClientTest {
    private static final String SECRET = "javascript-client-test-secret-32-bytes-or-more";
    private static final Path CLIENT = Path.of("..", "clients", "js").toAbsolutePath().normalize();
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        require("node");
        require("npm");
        if (!Files.isDirectory(CLIENT.resolve("node_modules"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 600);
        }
        server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0).tokenSecret(SECRET).dev(true).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void unitAndIntegrationSuitesPass() throws Exception {
        run(List.of("npm", "test"), env(), 300);
    }

    @Test
    void browserSuitePassesInHeadlessChromium() throws Exception {
        require("chromium");
        run(List.of("npm", "run", "test:e2e"), env(), 600);
    }

    private static Map<String, String> env() {
        return Map.of("PLAYCONNECT_HTTP_URL", server.httpUrl(), "PLAYCONNECT_TOKEN_SECRET", SECRET);
    }

    private static void require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(tool + " is not on the PATH, and CI=true requires the JavaScript suites to run");
        }
        Assumptions.abort(tool + " is not installed: skipping the JavaScript suites");
    }

    private static void run(List<String> command, Map<String, String> env, long seconds) throws Exception {
        Path log = Files.createTempFile("playconnect-js", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(CLIENT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean finished = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        String tail = output.length() > 6000 ? output.substring(output.length() - 6000) : output;
        assertThat(finished).as("%s finished within %d s:%n%s", command, seconds, tail).isTrue();
        assertThat(p.exitValue()).as("%s exit status:%n%s", command, tail).isZero();
    }
}
