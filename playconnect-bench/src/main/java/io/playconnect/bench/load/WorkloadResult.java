package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one workload measured against one server: named figures (in the order they were added),
 * the latency distribution where there is one (microseconds), and the targets it was checked
 * against.
 */
public final class WorkloadResult {
    private final String workload;
    private final String server;
    private final String driver;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, String> attachments = new LinkedHashMap<>();
    private Histogram latency;

    /** A target: {@code value} compared with {@code limit}; met says whether it holds. */
    public record Check(String name, double value, double limit, String unit, boolean met) {
    }

    WorkloadResult(String workload, String server, String driver) {
        this.workload = Objects.requireNonNull(workload, "workload");
        this.server = Objects.requireNonNull(server, "server");
        this.driver = Objects.requireNonNull(driver, "driver");
    }

    WorkloadResult put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Adds a check that holds when {@code value <= limit}. */
    WorkloadResult atMost(String name, double value, double limit, String unit) {
        checks.add(new Check(name, value, limit, unit, value <= limit));
        return this;
    }

    /** Adds a check that holds when {@code value < limit}. */
    WorkloadResult below(String name, double value, double limit, String unit) {
        checks.add(new Check(name, value, limit, unit, value < limit));
        return this;
    }

    WorkloadResult latency(Histogram micros) {
        this.latency = micros;
        return this;
    }

    /** A short text that explains a figure (a heap histogram), written beside the JSON. */
    WorkloadResult attach(String name, String text) {
        attachments.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(text, "text"));
        return this;
    }

    public Map<String, String> attachments() {
        return Collections.unmodifiableMap(attachments);
    }

    public String workload() {
        return workload;
    }

    public String server() {
        return server;
    }

    public String driver() {
        return driver;
    }

    public Map<String, Object> figures() {
        return Collections.unmodifiableMap(figures);
    }

    /** A figure as a number, or NaN when absent or not a number. */
    public double number(String name) {
        Object v = figures.get(name);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public Histogram latency() {
        return latency;
    }
}
