package io.playconnect.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Results on disk and on screen: one small JSON file per workload and server
 * ({@code <workload>-<server>.json}), a table of the figures side by side, and the SVG chart of
 * every server's latency distribution for a workload ({@code <workload>.svg}).
 */
final class Results {
    /** The percentiles kept for the chart: enough for its shape, few enough for a small file. */
    static final double[] PERCENTILES = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {
    }

    static Path write(Path dir, WorkloadResult r, Map<String, Object> options) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("workload", r.workload());
        doc.put("server", r.server());
        doc.put("driver", r.driver());
        doc.put("machine", Machine.describe());
        doc.put("options", options);
        doc.put("figures", r.figures());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (WorkloadResult.Check c : r.checks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("value", c.value());
            m.put("limit", c.limit());
            m.put("unit", c.unit());
            m.put("met", c.met());
            checks.add(m);
        }
        doc.put("checks", checks);
        Histogram h = r.latency();
        if (h != null && h.getTotalCount() > 0) {
            List<double[]> points = new ArrayList<>();
            for (double p : PERCENTILES) {
                points.add(new double[] {p, Clients.ms(h.getValueAtPercentile(p))});
            }
            doc.put("latency_ms_by_percentile", points);
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(r.workload() + "-" + r.server() + ".json");
        JSON.writeValue(file.toFile(), doc);
        for (Map.Entry<String, String> a : r.attachments().entrySet()) {
            Files.writeString(dir.resolve(r.workload() + "-" + r.server() + "-" + a.getKey() + ".txt"), a.getValue());
        }
        return file;
    }

    static List<JsonNode> read(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode n = JSON.readTree(f.toFile());
                if (n.has("workload") && n.has("figures")) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    /** Prints every workload's figures with one column per server, then the checks. */
    static void printTable(PrintStream out, List<JsonNode> docs) {
        Map<String, List<JsonNode>> byWorkload = new LinkedHashMap<>();
        docs.forEach(d -> byWorkload.computeIfAbsent(d.path("workload").asText(), k -> new ArrayList<>()).add(d));
        for (Map.Entry<String, List<JsonNode>> e : byWorkload.entrySet()) {
            List<JsonNode> cols = e.getValue();
            Set<String> names = new LinkedHashSet<>();
            cols.forEach(c -> c.path("figures").fieldNames().forEachRemaining(names::add));
            out.println();
            out.printf("%-32s", e.getKey());
            cols.forEach(c -> out.printf(" %22s", c.path("server").asText()));
            out.println();
            for (String name : names) {
                out.printf("%-32s", name);
                cols.forEach(c -> out.printf(" %22s", shorten(c.path("figures").path(name).asText("-"))));
                out.println();
            }
            for (JsonNode c : cols) {
                for (JsonNode check : c.path("checks")) {
                    out.printf("  %-12s %-36s %s %s (target %s %s)%n", c.path("server").asText(),
                            check.path("name").asText(), check.path("met").asBoolean() ? "MET   " : "MISSED",
                            number(check.path("value").asDouble()), number(check.path("limit").asDouble()),
                            check.path("unit").asText());
                }
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 22 ? s : s.substring(0, 21) + "…";
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "none";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.valueOf(Clients.round(v, 3));
    }

    /** Writes {@code <workload>.svg} for every workload that has latency points. */
    static List<Path> writeCharts(Path dir, List<JsonNode> docs) throws IOException {
        Map<String, Map<String, double[][]>> byWorkload = new LinkedHashMap<>();
        for (JsonNode d : docs) {
            JsonNode pts = d.path("latency_ms_by_percentile");
            if (!pts.isArray() || pts.isEmpty()) {
                continue;
            }
            double[][] series = new double[pts.size()][];
            for (int i = 0; i < pts.size(); i++) {
                series[i] = new double[] {pts.get(i).get(0).asDouble(), pts.get(i).get(1).asDouble()};
            }
            byWorkload.computeIfAbsent(d.path("workload").asText(), k -> new LinkedHashMap<>())
                    .put(d.path("server").asText(), series);
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[][]>> e : byWorkload.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".svg");
            String title = e.getKey().equals("storm") ? "storm: time to resume by percentile (ms)"
                    : e.getKey() + ": publish-to-delivery latency by percentile (ms)";
            Files.writeString(file, SvgChart.percentiles(title, e.getValue()));
            written.add(file);
        }
        return written;
    }
}
