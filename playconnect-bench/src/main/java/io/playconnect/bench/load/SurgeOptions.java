package io.playconnect.bench.load;

import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code loadgen run} options of the surge workload ({@link SurgeFanout}); a picocli mixin. */
final class SurgeOptions {
    @Option(names = "--surge-subscribers", defaultValue = "10000",
            description = "surge: subscribers, one connection each, spread evenly over the rooms (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--surge-rooms", defaultValue = "100", description = "surge: rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--surge-base-rate", defaultValue = "100",
            description = "surge: published messages/s before and after the surge, all rooms together (default: ${DEFAULT-VALUE}).")
    int baseRate;

    @Option(names = "--surge-peak-rate", defaultValue = "1000",
            description = "surge: published messages/s during the surge (default: ${DEFAULT-VALUE}).")
    int peakRate;

    @Option(names = "--surge-before", defaultValue = "30s", converter = LoadCommand.DurationConverter.class,
            description = "surge: time at the base rate before the step up (default: ${DEFAULT-VALUE}).")
    Duration before;

    @Option(names = "--surge-hold", defaultValue = "60s", converter = LoadCommand.DurationConverter.class,
            description = "surge: how long the peak rate is held; 30m makes it the soak (default: ${DEFAULT-VALUE}).")
    Duration hold;

    @Option(names = "--surge-after", defaultValue = "30s", converter = LoadCommand.DurationConverter.class,
            description = "surge: time at the base rate after the step down (default: ${DEFAULT-VALUE}).")
    Duration after;

    @Option(names = "--surge-publishers", defaultValue = "4",
            description = "surge: publishing connections; each publishes to rooms/publishers rooms (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--surge-p99-ms", defaultValue = "100",
            description = "surge: the p99 every second is checked against, in ms (default: ${DEFAULT-VALUE}).")
    double p99TargetMs;

    SurgeFanout.Settings settings() {
        return new SurgeFanout.Settings(subscribers, rooms, baseRate, peakRate, before, hold, after, publishers,
                p99TargetMs);
    }
}
