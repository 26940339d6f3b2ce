package io.playconnect.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files under {@code deploy/} and the PromQL in them: the alert rules, the Grafana dashboard
 * and the Prometheus adapter's rules, read the way Prometheus and Grafana read them.
 */
public final class DeployFiles {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /**
     * Metric names as they appear in our expressions: the server's own and Micrometer's JVM and
     * process meters all start with one of these prefixes, and no label name does.
     */
    private static final Pattern METRIC = Pattern.compile("\\b((?:playconnect|jvm|process|system)_[a-z0-9_]+)\\b");
    /** A selector with label matchers: {@code name{label="x", other=~"y"}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    /** Labels named by {@code by (...)}, {@code without (...)}, {@code on (...)}, {@code ignoring (...)}. */
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");

    private DeployFiles() {
    }

    /** {@code deploy/} at the repository root (tests run in the module directory). */
    public static Path deployDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus"))) {
                return dir.resolve("deploy");
            }
        }
        throw new IllegalStateException("no deploy/ above " + Path.of("").toAbsolutePath());
    }

    public static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alert's {@code expr} in a Prometheus rule file, as "name: expr". */
    public static List<Expr> alertExpressions(Path rules) {
        List<Expr> out = new ArrayList<>();
        for (JsonNode group : readYaml(rules).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.get("alert").asText() : rule.path("record").asText();
                out.add(new Expr(name, rule.path("expr").asText()));
            }
        }
        return out;
    }

    /** Every target expression of every panel, nested rows included. */
    public static List<Expr> dashboardExpressions(Path dashboard) {
        List<Expr> out = new ArrayList<>();
        collectPanels(readJson(dashboard).path("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, List<Expr> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                out.add(new Expr(panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
            collectPanels(panel.path("panels"), out);
        }
    }

    /**
     * A Grafana expression as Prometheus would get it: {@code $__rate_interval} becomes 5m and a
     * template variable a regular expression that matches anything.
     */
    public static String resolveGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replaceAll("\\$[a-z_]+", ".*");
    }

    /** One named PromQL expression and what it names. */
    public record Expr(String name, String promql) {
        public List<String> metrics() {
            List<String> names = new ArrayList<>();
            Matcher m = METRIC.matcher(promql);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        /** Label names used in matchers, per metric name. */
        public List<String[]> matcherLabels() {
            List<String[]> pairs = new ArrayList<>();
            Matcher s = SELECTOR.matcher(promql);
            while (s.find()) {
                Matcher l = MATCHER_LABEL.matcher(s.group(2));
                while (l.find()) {
                    pairs.add(new String[] {s.group(1), l.group(1)});
                }
            }
            return pairs;
        }

        /** Label names in by/without/on/ignoring clauses. */
        public List<String> groupingLabels() {
            List<String> labels = new ArrayList<>();
            Matcher g = GROUPING.matcher(promql);
            while (g.find()) {
                for (String label : g.group(1).split(",")) {
                    if (!label.isBlank()) {
                        labels.add(label.trim());
                    }
                }
            }
            return labels;
        }
    }
}
