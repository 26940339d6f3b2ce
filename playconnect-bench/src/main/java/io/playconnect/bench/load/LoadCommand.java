package io.playconnect.bench.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar loadgen.jar <command>}: {@code run} drives workloads against a server,
 * {@code probe} watches what clients see while a fault is injected (the runbooks), {@code report}
 * compares the results of several servers, {@code server} starts PlayConnect with
 * load-test limits, {@code jfr-summary} condenses a flight recording.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "PlayConnect load generator: WebSocket, gRPC and MQTT workloads against PlayConnect, WebSocket against "
                + "nats-server, MQTT against mosquitto and nats-server.",
        subcommands = {RunCommand.class, ProbeCommand.class, LoadCommand.Report.class, LoadCommand.Server.class,
                LoadCommand.Jfr.class})
public final class LoadCommand implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCommand()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** Accepts {@code 30s}, {@code 500ms}, {@code 2m} or plain seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("not a duration (30s, 500ms, 2m): '" + value + "'");
            }
        }
    }

    static Path defaultOut() {
        return Path.of("bench", "results", LocalDate.now().toString());
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Print the results in a directory side by side and write one latency chart per workload.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--dir", description = "Results directory (default: bench/results/<today>).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path d = dir == null ? defaultOut() : dir;
            var docs = Results.read(d);
            Results.printTable(System.out, docs);
            Results.writeCharts(d, docs).forEach(p -> System.out.println("chart: " + p));
            return 0;
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Start PlayConnect in this process with the edge's connection limits raised for load "
                    + "tests; prints 'ws    URL' and 'ready'. Runs until SIGTERM or --max-lifetime.")
    static final class Server implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--http-port", defaultValue = "0", description = "Port, 0 for a free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--token-secret", required = true, description = "HS256 secret, at least 32 bytes.")
        String secret;

        @Option(names = "--max-lifetime", defaultValue = "120m", converter = DurationConverter.class,
                description = "Stop after this long at the latest (default: ${DEFAULT-VALUE}).")
        Duration maxLifetime;

        @Override
        public Integer call() throws InterruptedException {
            BenchServer server = BenchServer.start(host, port, secret);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "bench-server-stop"));
            System.out.println("ws    " + server.wsUri());
            System.out.println("ready");
            System.out.flush();
            stopped.await(maxLifetime.toMillis(), TimeUnit.MILLISECONDS);
            return 0;
        }
    }

    @Command(name = "jfr-summary", mixinStandardHelpOptions = true,
            description = "Summarise a flight recording's jdk.ExecutionSample events by top frame.")
    static final class Jfr implements Callable<Integer> {
        @Parameters(index = "0", description = "The .jfr file.")
        Path recording;

        @Option(names = "--top", defaultValue = "25", description = "Rows per table (default: ${DEFAULT-VALUE}).")
        int top;

        @Override
        public Integer call() throws Exception {
            JfrSummary.print(recording, top, System.out);
            return 0;
        }
    }

    /** Every workload, in the order the benchmark runs them. */
    static final List<String> ALL_WORKLOADS = List.of("idle", "burst", "paced", "storm");
}
