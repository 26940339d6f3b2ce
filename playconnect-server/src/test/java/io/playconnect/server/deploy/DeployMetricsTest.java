package io.playconnect.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.server.JwtMinter;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import io.playconnect.server.scaleout.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric and label that the alert rules, the Grafana dashboard and the Prometheus adapter
 * name exists on a real server's {@code /metrics}, after the traffic that creates the meters
 * registered on first use (a refused connection, a rejected command, a delivery).
 */
class DeployMetricsTest {
    private static final String SECRET = "deploy-metrics-test-secret-0123456789";
    /** Labels Prometheus adds from the scrape (deploy/prometheus/prometheus.yml), not the server. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "component");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RunningServer server;
    private static Exposition metrics;

    @BeforeAll
    static void startServerAndMakeTraffic() throws Exception {
        server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                .mqttPort(io.playconnect.server.ListenPort.explicit(0))
                .grpcPort(io.playconnect.server.ListenPort.explicit(0))
                .tokenSecret(SECRET)
                .edgeLimits(EdgeLimits.defaults().toBuilder().maxConnections(2).build())
                .build());
        URI ws = URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws");
        JwtMinter minter = new JwtMinter(SECRET);
        Map<String, List<String>> rooms = Map.of("game.*", JwtMinter.SCOPES, "chat.*", JwtMinter.SCOPES);
        try (WsClient alice = WsClient.connect(ws, minter.mint("alice", rooms, Duration.ofMinutes(5)));
             WsClient bob = WsClient.connect(ws, minter.mint("bob", rooms, Duration.ofMinutes(5)))) {
            bob.send("{\"op\":\"join\",\"room\":\"chat.lobby\"}");
            bob.await(WsClient.op("joined"), WAIT);
            alice.send("{\"op\":\"join\",\"room\":\"game.deploy\"}");
            alice.await(WsClient.op("joined"), WAIT);
            alice.send("{\"op\":\"publish\",\"room\":\"game.deploy\",\"type\":\"move\",\"payload\":{\"move\":\"e4\"},\"correlationId\":\"m1\"}");
            alice.await(WsClient.op("ack"), WAIT);
            alice.send("{\"op\":\"publish\",\"room\":\"game.deploy\",\"type\":\"move\",\"payload\":{\"move\":\"Qh9\"},\"correlationId\":\"m2\"}");
            alice.await(WsClient.op("error"), WAIT);
            alice.send("{\"op\":\"publish\",\"room\":\"chat.lobby\",\"type\":\"message\",\"payload\":{\"text\":\"hi\"},\"correlationId\":\"c1\"}");
            bob.await(WsClient.op("event"), WAIT);
            refusedThirdConnection(ws, minter.mint("carol", rooms, Duration.ofMinutes(5)));
            // The GC pause timer appears at the first collection the JVM reports after the server
            // started: ask for collections until one is on /metrics (a busy server has one at once).
            await().atMost(WAIT).until(() -> {
                System.gc();
                return Exposition.parse(scrape()).has("jvm_gc_pause_seconds_sum");
            });
            metrics = Exposition.parse(scrape());
        }
    }

    /** With --max-connections 2, a third connection is shed; either way the refusal is counted. */
    private static void refusedThirdConnection(URI ws, String token) throws Exception {
        try (WsClient carol = WsClient.connect(ws, token)) {
            carol.await(n -> true, WAIT);
        } catch (CompletionException | AssertionError refusedBeforeOrAfterUpgrade) {
            // The count is what matters; the client-side shape of the refusal is the gateway's test.
        }
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyAlertRuleNamesExportedMetricsAndLabels() {
        List<DeployFiles.Expr> exprs = DeployFiles.alertExpressions(
                DeployFiles.deployDir().resolve("prometheus/playconnect-alerts.yml"));
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(15);
        assertAllExported(exprs);
    }

    @Test
    void everyDashboardPanelNamesExportedMetricsAndLabels() {
        Path dashboard = DeployFiles.deployDir().resolve("grafana/playconnect-dashboard.json");
        List<DeployFiles.Expr> exprs = DeployFiles.dashboardExpressions(dashboard);
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(20);
        assertAllExported(exprs);
        for (JsonNode panel : DeployFiles.readJson(dashboard).path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void theAutoscalerMetricIsExported() {
        assertAllExported(AdapterRules.expressions());
    }

    @Test
    void theCheckItselfCatchesAMisspelledMetricAndLabel() {
        List<String> wrong = problems(List.of(
                new DeployFiles.Expr("typo", "sum(playconnect_edge_conections)"),
                new DeployFiles.Expr("label", "sum by (protocl) (playconnect_edge_connections{protocl=\"mqtt\"})")));
        assertThat(wrong).hasSize(3);
    }

    private static void assertAllExported(List<DeployFiles.Expr> exprs) {
        assertThat(problems(exprs)).as("on /metrics: %s", metrics.metrics()).isEmpty();
    }

    private static List<String> problems(List<DeployFiles.Expr> exprs) {
        List<String> problems = new ArrayList<>();
        for (DeployFiles.Expr expr : exprs) {
            List<String> named = expr.metrics();
            if (named.isEmpty() && !expr.promql().contains("up{")) {
                problems.add(expr.name() + ": names no metric: " + expr.promql());
            }
            for (String metric : named) {
                if (!metrics.has(metric)) {
                    problems.add(expr.name() + ": no " + metric);
                }
            }
            for (String[] pair : expr.matcherLabels()) {
                if (metrics.has(pair[0]) && !TARGET_LABELS.contains(pair[1]) && !metrics.labels(pair[0]).contains(pair[1])) {
                    problems.add(expr.name() + ": " + pair[0] + " has no label " + pair[1]);
                }
            }
            for (String label : expr.groupingLabels()) {
                boolean somewhere = TARGET_LABELS.contains(label)
                        || named.stream().anyMatch(m -> metrics.labels(m).contains(label));
                if (!somewhere) {
                    problems.add(expr.name() + ": no metric in it has the label " + label);
                }
            }
        }
        return problems;
    }
}
