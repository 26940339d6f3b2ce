package io.playconnect.server.deploy;

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
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("promtool", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
