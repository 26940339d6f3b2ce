package io.playconnect.server.deploy;

import io.playconnect.server.ListenPort;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import io.playconnect.testkit.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus' own checker on what {@code deploy/} holds: the alert rules parse and pass their unit
 * tests, and the dashboard's and the adapter's queries parse (as recording rules, the only way
 * promtool checks an expression offline). promtool comes with Debian's {@code prometheus} package;
 * without it this fails under CI=true and is skipped elsewhere.
 */
class PromtoolTest {
    private static final Path PROMETHEUS = DeployFiles.deployDir().resolve("prometheus");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPromtool() {
        Prerequisites.requireOnPath("promtool");
    }

    @Test
    void theAlertRulesPassCheckRules() throws Exception {
        Result r = promtool(PROMETHEUS, "check", "rules", "playconnect-alerts.yml");
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS");
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        Result r = promtool(PROMETHEUS, "test", "rules", "playconnect-alerts.test.yml");
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryParses() throws Exception {
        List<DeployFiles.Expr> exprs = new ArrayList<>();
        for (DeployFiles.Expr e : DeployFiles.dashboardExpressions(DeployFiles.deployDir().resolve("grafana/playconnect-dashboard.json"))) {
            exprs.add(new DeployFiles.Expr(e.name(), DeployFiles.resolveGrafanaVariables(e.promql())));
        }
        Result r = checkAsRecordingRules(exprs);
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    @Test
    void theAdapterQueriesParse() throws Exception {
        List<DeployFiles.Expr> exprs = AdapterRules.expressions();
        Result r = checkAsRecordingRules(exprs);
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    /**
     * {@code promtool check metrics} (Prometheus' naming lint) on a server's {@code /metrics} after a
     * command: nothing about the server's metrics but the edge's missing HELP texts. It also names
     * two of Micrometer's standard meters ({@code process_cpu_time_ns_total}, {@code system_cpu_count}),
     * which are left as Micrometer names them.
     */
    @Test
    void theServersOwnMetricsPassTheNamingLint() throws Exception {
        String exposition;
        try (RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0))
                .tokenSecret("promtool-test-secret-0123456789abcdef").build())) {
            String token = new io.playconnect.server.JwtMinter("promtool-test-secret-0123456789abcdef")
                    .mint("alice", java.util.Map.of("chat.*", io.playconnect.server.JwtMinter.SCOPES), java.time.Duration.ofMinutes(5));
            try (io.playconnect.server.scaleout.WsClient ws = io.playconnect.server.scaleout.WsClient.connect(
                    java.net.URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws"), token)) {
                ws.send("{\"op\":\"publish\",\"room\":\"chat.lint\",\"type\":\"message\",\"payload\":{\"text\":\"hi\"},\"correlationId\":\"c1\"}");
                ws.await(io.playconnect.server.scaleout.WsClient.op("ack"), java.time.Duration.ofSeconds(10));
            }
            exposition = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.httpUrl() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(exposition).contains("playconnect_edge_connections", "playconnect_engine_partitions_owned");
        Files.writeString(dir.resolve("metrics.txt"), exposition, StandardCharsets.UTF_8);
        Result r = promtool(dir, List.of("check", "metrics"), dir.resolve("metrics.txt"));
        List<String> ours = r.output.lines().filter(l -> l.startsWith("playconnect_")).toList();
        // The edge registers its meters without a description (no HELP text); that is the edge's
        // to fix. Anything else about a playconnect_ metric fails here.
        assertThat(ours).as(r.output).allMatch(l -> l.startsWith("playconnect_edge_") && l.endsWith(" no help text"));
    }

    /** The check above is not vacuous: a query with a missing parenthesis fails it. */
    @Test
    void aBrokenQueryFailsTheCheck() throws Exception {
        Result r = checkAsRecordingRules(List.of(new DeployFiles.Expr("broken", "sum(rate(playconnect_edge_frames_in_total[5m])")));
        assertThat(r.status).as(r.output).isNotZero();
    }

    private Result checkAsRecordingRules(List<DeployFiles.Expr> exprs) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: checked\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            rules.append("      - record: checked:expr_").append(i).append('\n')
                    .append("        expr: ").append(DeployFiles.JSON.writeValueAsString(exprs.get(i).promql())).append('\n');
        }
        Files.writeString(dir.resolve("rules.yml"), rules, StandardCharsets.UTF_8);
        return promtool(dir, "check", "rules", "rules.yml");
    }

    private record Result(int status, String output) {
    }

    private static Result promtool(Path workDir, String... args) throws IOException, InterruptedException {
        return promtool(workDir, List.of(args), null);
    }

    private static Result promtool(Path workDir, List<String> args, Path stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(args);
        Path out = Files.createTempFile("promtool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            if (stdin != null) {
                pb.redirectInput(stdin.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool " + args + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
