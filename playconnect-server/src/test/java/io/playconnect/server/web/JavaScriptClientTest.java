package io.playconnect.server.web;

import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import io.playconnect.testkit.NodeSuite;
import io.playconnect.testkit.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the JavaScript client's own suites (Node's test runner) and its browser suite (headless
 * Debian Chromium through playwright-core) against a server in this JVM with the demo pages and
 * {@code --dev} on. Without node, npm or chromium they are skipped, except under CI=true, where
 * that is a failure.
 */
class JavaScriptClientTest {
    private static final String SECRET = "javascript-client-test-secret-32-bytes-or-more";
    private static NodeSuite client;
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        client = NodeSuite.prepare(Path.of("..", "clients", "js"), "playwright-core");
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
        client.run(List.of("npm", "test"), env(), 300);
    }

    @Test
    void browserSuitePassesInHeadlessChromium() throws Exception {
        Prerequisites.requireOnPath("chromium");
        client.run(List.of("npm", "run", "test:e2e"), env(), 600);
    }

    private static Map<String, String> env() {
        return Map.of("PLAYCONNECT_HTTP_URL", server.httpUrl(), "PLAYCONNECT_TOKEN_SECRET", SECRET);
    }
}
