package io.playconnect.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.playconnect.server.JwtMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code loadgen probe}: what clients see while an operator's fault happens (the runbooks in
 * docs/operations.md). Subscribers in many rooms and publishers at a steady open-loop rate,
 * spread over one or more gateway URLs; a client whose connection closes reconnects to the next
 * URL and resumes from the last position it saw. Writes a per-second timeline and a summary:
 * the longest time a room went without an acknowledged publish, reconnect times, errors by code,
 * and whether any subscriber missed or repeated an event. With {@code --slow-subscribers}, that
 * many extra subscribers of one busy room stop reading after {@code --slow-after} (a slow-consumer
 * storm); their closes are counted by code.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Steady publish/subscribe load over one or more PlayConnect gateways while a fault is injected "
                + "from outside; writes <name>-timeline.csv and <name>.json to --out.")
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "ws://HOST:PORT/ws of a gateway (repeatable).")
    List<URI> urls;

    @Option(names = "--token-secret", required = true, description = "PlayConnect's HS256 secret.")
    String tokenSecret;

    @Option(names = "--name", defaultValue = "probe", description = "File name stem (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", defaultValue = "bench/results/runbooks", description = "Results directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--rooms", defaultValue = "20", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--subscribers-per-room", defaultValue = "2", description = "Subscribers per room (default: ${DEFAULT-VALUE}).")
    int subscribersPerRoom;

    @Option(names = "--publishers", defaultValue = "4", description = "Publishing connections (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--rate", defaultValue = "200", description = "Publishes/s over all rooms (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", converter = LoadCommand.DurationConverter.class,
            description = "How long to publish (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--settle", defaultValue = "20s", converter = LoadCommand.DurationConverter.class,
            description = "Bound on waiting for every subscriber to catch up afterwards (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--slow-subscribers", defaultValue = "0", description = "Subscribers of the busy room that stop "
            + "reading (default: ${DEFAULT-VALUE}).")
    int slowSubscribers;

    @Option(names = "--slow-after", defaultValue = "10s", converter = LoadCommand.DurationConverter.class,
            description = "When the slow subscribers stop reading (default: ${DEFAULT-VALUE}).")
    Duration slowAfter;

    @Option(names = "--busy-rate", defaultValue = "500", description = "Publishes/s to the busy room when there are slow "
            + "subscribers (default: ${DEFAULT-VALUE}).")
    int busyRate;

    @Option(names = "--payload-bytes", defaultValue = "256", description = "Payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Override
    public Integer call() throws Exception {
        ProbeRun.Settings s = new ProbeRun.Settings(rooms, subscribersPerRoom, publishers, rate, duration, settle,
                slowSubscribers, slowAfter, busyRate, payloadBytes);
        JwtMinter minter = new JwtMinter(tokenSecret);
        Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
        List<ProtocolDriver> drivers = new ArrayList<>();
        for (URI u : urls) {
            drivers.add(new WebSocketDriver(u, spec -> minter.mint(spec.user(), grants, Duration.ofHours(2)), 2));
        }
        try {
            ProbeRun run = new ProbeRun(drivers, s, System.err);
            Map<String, Object> summary = run.execute();
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + "-timeline.csv"), run.timelineCsv());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", name);
            doc.put("urls", urls.stream().map(URI::toString).toList());
            doc.put("machine", Machine.describe());
            doc.putAll(summary);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(name + ".json").toFile(), doc);
            summary.forEach((k, v) -> System.out.printf("%-34s %s%n", k, v));
        } finally {
            drivers.forEach(ProtocolDriver::close);
        }
        return 0;
    }
}
