package io.playconnect.bench.load;

/** One measured scenario: opens its clients, drives them, measures, closes them again. */
public interface Workload {

    /** {@code idle}, {@code burst}, {@code paced}, {@code storm}, {@code unary} or {@code commands-<rate>}. */
    String name();

    WorkloadResult run(LoadContext context) throws InterruptedException;

    /** The workload of that name. */
    static Workload named(String name) {
        return switch (name) {
            case "idle" -> new IdleDensity();
            case "burst" -> new BurstFanout();
            case "paced" -> new PacedFanout();
            case "storm" -> new ReconnectStorm();
            case "unary" -> new UnaryPublishRate();
            case "cross" -> new CrossProtocol();
            default -> throw new IllegalArgumentException("workload must be idle, burst, paced, storm, unary, cross or "
                    + "commands "
                    + "(with --command-rates): '" + name + "'");
        };
    }
}
