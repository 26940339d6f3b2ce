package io.playconnect.bench.load;

import io.playconnect.server.JwtMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code loadgen run}: drives the chosen workloads against one server and writes their results. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run workloads (idle, burst, paced, storm; unary with --driver grpc; commands, a step per --command-rates; surge) against one server; print a table, write "
                + "<workload>-<server>.json and the latency charts to --out.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--driver", required = true,
            description = "websocket or grpc (PlayConnect), nats-ws (nats-server) or jetstream (nats-server, "
                    + "JetStream publish and RePublish: the peer of the commands workload); mqtt (PlayConnect) or "
                    + "mqtt-anonymous (any MQTT broker: mosquitto, nats-server's MQTT listener).")
    String driver;

    @Option(names = "--url", required = true, description = "ws://127.0.0.1:PORT/ws (PlayConnect), grpc://127.0.0.1:PORT "
            + "(PlayConnect over gRPC), ws://127.0.0.1:PORT (NATS) or mqtt://127.0.0.1:PORT.")
    URI url;

    @Option(names = "--subscriber-url", description = "cross: PlayConnect's ws://127.0.0.1:PORT/ws; the subscribers use "
            + "the WebSocket driver while --driver publishes (default: subscribers use --driver too).")
    URI subscriberUrl;

    @Option(names = "--mqtt-subscribe-qos", defaultValue = "0", description = "mqtt: QoS of subscriptions, 0 or 1 "
            + "(default: ${DEFAULT-VALUE}).")
    int mqttSubscribeQos;

    @Option(names = "--mqtt-publish-qos", defaultValue = "1", description = "mqtt: QoS of publishes, 0 or 1; QoS 1 "
            + "waits for each PUBACK within --publish-window (default: ${DEFAULT-VALUE}).")
    int mqttPublishQos;

    @Option(names = "--token-secret", description = "PlayConnect's HS256 secret; tokens are minted in this process.")
    String tokenSecret;

    @Option(names = "--workloads", split = ",", description = "Which workloads (default: idle,burst,paced,storm).")
    List<String> workloads;

    @Option(names = "--server-label", description = "Name of the server in results (default: playconnect, "
            + "playconnect-grpc or nats-server).")
    String label;

    @Option(names = "--server-pid", defaultValue = "0", description = "The server's pid, for CPU time and RSS from /proc.")
    long serverPid;

    @Option(names = "--jvm", description = "The server is a JVM with -XX:NativeMemoryTracking=summary: read its heap "
            + "and native memory with jcmd.")
    boolean jvm;

    @Option(names = "--profile", description = "Record the JVM server's CPU samples (jcmd JFR.start) during each measured "
            + "phase and write their summary beside the results (<workload>-<server>-profile.txt).")
    boolean profile;

    @Option(names = "--out", description = "Results directory (default: bench/results/<today>).")
    Path out;

    @Option(names = "--connections", defaultValue = "15000", description = "idle: connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--subscribers", defaultValue = "1000", description = "burst: subscribers (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--paced-subscribers", defaultValue = "10000", description = "paced: subscribers (default: ${DEFAULT-VALUE}).")
    int pacedSubscribers;

    @Option(names = "--storm-clients", defaultValue = "10000", description = "storm: clients (default: ${DEFAULT-VALUE}).")
    int stormClients;

    @Option(names = "--messages", defaultValue = "500", description = "burst: messages per round (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--rate", defaultValue = "10", description = "paced: messages/s (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "30s", converter = LoadCommand.DurationConverter.class,
            description = "paced: measured time (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = LoadCommand.DurationConverter.class,
            description = "paced: warm-up time (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--storm-events", defaultValue = "5", description = "storm: events before, during and after (default: ${DEFAULT-VALUE}).")
    int stormEvents;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "Payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--publish-window", defaultValue = "16", description = "Unanswered publishes at once (default: ${DEFAULT-VALUE}).")
    int publishWindow;

    @Option(names = "--source-addresses", defaultValue = "20", description = "Source addresses 127.0.0.2.. (default: ${DEFAULT-VALUE}).")
    int sourceAddresses;

    @Option(names = "--max-pending", defaultValue = "500", description = "Handshakes in flight (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--io-threads", defaultValue = "2", description = "Client I/O threads (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--unary-rate", defaultValue = "10000",
            description = "unary: Publish requests per second, open loop (default: ${DEFAULT-VALUE}).")
    int unaryRate;

    @Option(names = "--unary-rooms", defaultValue = "64",
            description = "unary: rooms the requests are spread over; the edge lets one session (one token) have "
                    + "commands in flight to at most 64 rooms (default: ${DEFAULT-VALUE}).")
    int unaryRooms;

    @Option(names = "--grpc-unary-channels", defaultValue = "1",
            description = "grpc: connections the unary calls share (default: ${DEFAULT-VALUE}).")
    int unaryChannels;

    @Option(names = "--command-rates", split = ",", defaultValue = "1000,2000,3000,5000,7000,10000",
            description = "commands: offered commands/s, one step each, in this order (default: ${DEFAULT-VALUE}).")
    List<Integer> commandRates;

    @Option(names = "--command-rooms", defaultValue = "200", description = "commands: rooms (default: ${DEFAULT-VALUE}).")
    int commandRooms;

    @Option(names = "--command-publishers", defaultValue = "20",
            description = "commands: publishing connections; each serves rooms/publishers rooms (default: ${DEFAULT-VALUE}).")
    int commandPublishers;

    @Option(names = "--room-subscribers", defaultValue = "2",
            description = "commands: subscribers per room, one connection each (default: ${DEFAULT-VALUE}).")
    int roomSubscribers;

    @Option(names = "--command-p99-ms", defaultValue = "10",
            description = "commands: the p99 a step is checked against, in ms (default: ${DEFAULT-VALUE}).")
    double commandP99Ms;

    @Option(names = "--command-stop-ms", defaultValue = "200",
            description = "commands: skip the higher rates once a step's p99 passed this many ms or lost anything "
                    + "(default: ${DEFAULT-VALUE}).")
    double commandStopMs;

    @Option(names = "--peer-connections", defaultValue = "4",
            description = "jetstream: NATS connections the peer's clients share (default: ${DEFAULT-VALUE}).")
    int peerConnections;

    @Option(names = "--idle-rooms", defaultValue = "2",
            description = "idle: rooms (subscriptions) per connection (default: ${DEFAULT-VALUE}).")
    int idleRooms;

    @Option(names = "--cross-rate", defaultValue = "20000",
            description = "cross: messages/s, all publishers together, open loop (default: ${DEFAULT-VALUE}).")
    int crossRate;

    @Option(names = "--cross-publishers", defaultValue = "40",
            description = "cross: publishing connections (default: ${DEFAULT-VALUE}).")
    int crossPublishers;

    @Option(names = "--cross-subscribers", defaultValue = "2",
            description = "cross: subscribers of the room (default: ${DEFAULT-VALUE}).")
    int crossSubscribers;

    @Option(names = "--settle", defaultValue = "3s", converter = LoadCommand.DurationConverter.class,
            description = "idle: quiet time before measuring memory (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @picocli.CommandLine.Mixin
    SurgeOptions surge = new SurgeOptions();

    @Option(names = "--step-timeout", defaultValue = "180s", converter = LoadCommand.DurationConverter.class,
            description = "Bound of every waiting step (default: ${DEFAULT-VALUE}).")
    Duration stepTimeout;

    LoadOptions options() {
        return LoadOptions.newBuilder().connections(connections).subscribers(subscribers)
                .pacedSubscribers(pacedSubscribers).stormClients(stormClients).messages(messages).rate(rate)
                .duration(duration).warmup(warmup).stormEvents(stormEvents).payloadBytes(payloadBytes)
                .publishWindow(publishWindow).sourceAddresses(sourceAddresses).maxPending(maxPending)
                .ioThreads(ioThreads).settle(settle).stepTimeout(stepTimeout).unaryRate(unaryRate)
                .unaryRooms(unaryRooms).idleRooms(idleRooms).crossRate(crossRate).crossPublishers(crossPublishers)
                .crossSubscribers(crossSubscribers).build();
    }

    @Override
    public Integer call() throws Exception {
        LoadOptions options = options();
        List<Workload> chosen = new ArrayList<>();
        for (String w : workloads == null ? LoadCommand.ALL_WORKLOADS : workloads) {
            if (w.trim().equals("surge")) {
                chosen.add(new SurgeFanout(surge.settings()));
            } else if (w.trim().equals("commands")) {
                for (int rate : commandRates) {
                    chosen.add(new CommandRate(new CommandRate.Settings(rate, commandRooms, commandPublishers,
                            roomSubscribers, commandP99Ms)));
                }
            } else {
                chosen.add(Workload.named(w.trim()));
            }
        }
        Path dir = out == null ? LoadCommand.defaultOut() : out;
        PrintStream progress = System.err;
        try (ProtocolDriver d = driver(options);
             ProtocolDriver subs = MqttRun.subscriberDriver(subscriberUrl, tokenSecret, options)) {
            String server = label != null ? label : d instanceof GrpcDriver ? "playconnect-grpc"
                    : d instanceof JetStreamDriver ? "jetstream"
                    : d instanceof MqttDriver ? d.name() : d.resumes() ? "playconnect" : "nats-server";
            Path profiles = profile ? java.nio.file.Files.createTempDirectory("loadgen-jfr") : null;
            LoadContext ctx = new LoadContext(d, subs, options, ServerProbe.of(serverPid, jvm), progress, server, profiles);
            boolean stopCommands = false;
            for (Workload w : chosen) {
                if (stopCommands && w instanceof CommandRate) {
                    progress.printf("%s skipped: a lower rate already missed by far%n", w.name());
                    continue;
                }
                progress.printf("%s against %s (%s)%n", w.name(), server, d.name());
                String load0 = MqttRun.loadAverage();
                WorkloadResult r = w.run(ctx);
                MqttRun.describe(r, d, load0);
                progress.println("  wrote " + Results.write(dir, r, describe(options)));
                stopCommands |= w instanceof CommandRate && missedByFar(r);
            }
        }
        var docs = Results.read(dir);
        Results.printTable(System.out, docs);
        Results.writeCharts(dir, docs).forEach(p -> System.out.println("chart: " + p));
        return 0;
    }

    /** A command step whose p99 passed --command-stop-ms or that lost anything: higher rates only cost time. */
    private boolean missedByFar(WorkloadResult r) {
        return !(r.number("latency_p99_ms") <= commandStopMs) || r.number("missing") > 0 || r.number("gaps") > 0;
    }

    private ProtocolDriver driver(LoadOptions options) {
        switch (driver) {
            case "websocket":
                if (tokenSecret == null) {
                    throw new IllegalArgumentException("--token-secret is required with --driver websocket");
                }
                JwtMinter minter = new JwtMinter(tokenSecret);
                // No presence scope: presence fan-out in a room of 10,000 is its own (quadratic) workload.
                Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
                return new WebSocketDriver(url, spec -> minter.mint(spec.user(), grants, Duration.ofHours(2)), options.ioThreads());
            case "grpc":
                return grpcDriver(options);
            case "nats-ws":
                return new NatsWebSocketDriver(url, options.ioThreads());
            case "jetstream":
                return new JetStreamDriver(url, peerConnections);
            case "mqtt", "mqtt-anonymous":
                return MqttRun.driver(driver, url, tokenSecret, mqttSubscribeQos, mqttPublishQos, options);
            default:
                throw new IllegalArgumentException("--driver must be websocket, grpc, nats-ws, jetstream, mqtt or "
                        + "mqtt-anonymous: '" + driver + "'");
        }
    }

    /**
     * Streaming clients get the WebSocket clients' grants; the unary calls share one service token
     * that may only publish, as a backend that writes into rooms would hold.
     */
    private ProtocolDriver grpcDriver(LoadOptions options) {
        if (tokenSecret == null) {
            throw new IllegalArgumentException("--token-secret is required with --driver grpc");
        }
        JwtMinter minter = new JwtMinter(tokenSecret);
        Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
        String service = minter.mint("bench-service", Map.of("chat.*", List.of("publish")), Duration.ofHours(2));
        return new GrpcDriver(GrpcDriver.address(url), spec -> minter.mint(spec.user(), grants, Duration.ofHours(2)),
                service, options.ioThreads(), unaryChannels);
    }

    private static Map<String, Object> describe(LoadOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", o.connections());
        m.put("subscribers", o.subscribers());
        m.put("paced_subscribers", o.pacedSubscribers());
        m.put("storm_clients", o.stormClients());
        m.put("messages", o.messages());
        m.put("rate", o.rate());
        m.put("duration_s", o.duration().toSeconds());
        m.put("warmup_s", o.warmup().toSeconds());
        m.put("storm_events", o.stormEvents());
        m.put("payload_bytes", o.payloadBytes());
        m.put("publish_window", o.publishWindow());
        m.put("source_addresses", o.sourceAddresses());
        m.put("max_pending", o.maxPending());
        m.put("client_io_threads", o.ioThreads());
        m.put("unary_rate", o.unaryRate());
        m.put("unary_rooms", o.unaryRooms());
        m.put("idle_rooms", o.idleRooms());
        m.put("cross_rate", o.crossRate());
        m.put("cross_publishers", o.crossPublishers());
        m.put("cross_subscribers", o.crossSubscribers());
        return m;
    }
}
