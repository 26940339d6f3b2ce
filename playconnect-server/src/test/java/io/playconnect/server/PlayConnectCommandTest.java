package io.playconnect.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlayConnectCommandTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path configFile(String content) throws IOException {
        Path file = dir.resolve("playconnect.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void withoutOptionsEverythingIsTheDefaultAndPortsAreReplaceable() {
        ServerConfig c = Cli.parseRun(Map.of(), "run");

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isEqualTo(ListenPort.preferred(8080));
        assertThat(c.wsPort()).isEmpty();
        assertThat(c.mqttPort()).isEqualTo(ListenPort.preferred(1883));
        assertThat(c.grpcPort()).isEqualTo(ListenPort.preferred(9090));
        assertThat(c.roles()).containsExactlyInAnyOrder(Role.ENGINE, Role.GATEWAY);
        assertThat(c.broker()).isEqualTo("memory");
        assertThat(c.store()).isEqualTo("memory");
        assertThat(c.partitions()).isEqualTo(16);
        assertThat(c.tokenSecret()).isEmpty();
        assertThat(c.dataDir()).isEmpty();
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = configFile("http-port=8001\npartitions=4\nroles=engine\n");
        Map<String, String> env = Map.of("PLAYCONNECT_HTTP_PORT", "8002", "PLAYCONNECT_PARTITIONS", "8");

        ServerConfig all = Cli.parseRun(env, "run", "--config", file.toString(), "--http-port", "8003");
        ServerConfig envAndFile = Cli.parseRun(env, "run", "--config", file.toString());
        ServerConfig fileOnly = Cli.parseRun(Map.of(), "run", "--config=" + file);
        ServerConfig none = Cli.parseRun(Map.of(), "run");

        assertThat(all.httpPort()).isEqualTo(ListenPort.explicit(8003));
        assertThat(envAndFile.httpPort()).isEqualTo(ListenPort.explicit(8002));
        assertThat(envAndFile.partitions()).isEqualTo(8);
        assertThat(fileOnly.httpPort()).isEqualTo(ListenPort.explicit(8001));
        assertThat(fileOnly.partitions()).isEqualTo(4);
        assertThat(fileOnly.roles()).containsExactly(Role.ENGINE);
        assertThat(none.httpPort()).isEqualTo(ListenPort.preferred(8080));
    }

    @Test
    void configFileCanBeNamedByTheEnvironment() throws IOException {
        Path file = configFile("ws-port=9001\n");

        ServerConfig c = Cli.parseRun(Map.of("PLAYCONNECT_CONFIG", file.toString()), "run");

        assertThat(c.wsPort()).contains(ListenPort.explicit(9001));
    }

    @Test
    void everyRunOptionHasItsEnvironmentVariable() {
        Map<String, String> env = Map.of(
                "PLAYCONNECT_HOST", "localhost",
                "PLAYCONNECT_HTTP_PORT", "0",
                "PLAYCONNECT_WS_PORT", "7001",
                "PLAYCONNECT_MQTT_PORT", "7002",
                "PLAYCONNECT_GRPC_PORT", "7003",
                "PLAYCONNECT_ROLES", "engine,gateway",
                "PLAYCONNECT_BROKER", "nats://127.0.0.1:4222",
                "PLAYCONNECT_STORE", "redis://127.0.0.1:6379",
                "PLAYCONNECT_TOKEN_SECRET", SECRET,
                "PLAYCONNECT_PARTITIONS", "32");

        ServerConfig c = Cli.parseRun(env, "run");

        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.httpPort()).isEqualTo(ListenPort.explicit(0));
        assertThat(c.wsPort()).contains(ListenPort.explicit(7001));
        assertThat(c.mqttPort()).isEqualTo(ListenPort.explicit(7002));
        assertThat(c.grpcPort()).isEqualTo(ListenPort.explicit(7003));
        assertThat(c.roles()).isEqualTo(EnumSet.allOf(Role.class));
        assertThat(c.broker()).isEqualTo("nats://127.0.0.1:4222");
        assertThat(c.store()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.tokenSecret()).contains(SECRET);
        assertThat(c.partitions()).isEqualTo(32);
    }

    @Test
    void badOptionIsOneLineNamingItPlusAHintAndExit2() {
        Cli.Outcome o = Cli.execute(Map.of(), "run", "--http-port", "abc");

        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLines()).containsExactly("playconnect: --http-port: not a port number: 'abc'",
                "Try 'playconnect run --help' for more information.");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void badValuesNameTheirOptionAndWhereTheyCameFrom() throws IOException {
        Path file = configFile("partitions=0\n");

        assertThat(Cli.execute(Map.of("PLAYCONNECT_HTTP_PORT", "70000"), "run").errLines().get(0))
                .isEqualTo("playconnect: --http-port: not a port number: '70000' (from PLAYCONNECT_HTTP_PORT)");
        assertThat(Cli.execute(Map.of(), "run", "--config", file.toString()).errLines().get(0))
                .isEqualTo("playconnect: --partitions: must be a whole number from 1 to 4096: '0' (from " + file + ")");
        assertThat(Cli.execute(Map.of(), "run", "--roles", "engine,cook").errLines().get(0))
                .isEqualTo("playconnect: --roles: unknown role 'cook' (expected engine, gateway)");
        assertThat(Cli.execute(Map.of(), "run", "--broker", "kafka://x").errLines().get(0))
                .isEqualTo("playconnect: --broker: expected 'memory' or nats://HOST:PORT: 'kafka://x'");
        assertThat(Cli.execute(Map.of(), "run", "--token-secret", "short").errLines().get(0))
                .isEqualTo("playconnect: --token-secret: must be at least 32 bytes for HS256 (got 5)");
        assertThat(Cli.execute(Map.of(), "run", "--host", "no such host!").errLines().get(0))
                .isEqualTo("playconnect: --host: not a host name or IP address: 'no such host!'");
    }

    @Test
    void unknownOptionAndMissingCommandAreUsageErrors() {
        Cli.Outcome unknown = Cli.execute(Map.of(), "run", "--htp-port", "1");
        Cli.Outcome none = Cli.execute(Map.of());

        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly(
                "playconnect: unknown option '--htp-port' (did you mean --http-port?)",
                "Try 'playconnect run --help' for more information.");
        assertThat(Cli.execute(Map.of(), "run", "stray").errLines().get(0))
                .isEqualTo("playconnect: unexpected argument 'stray'");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.errLines()).containsExactly("playconnect: missing command: run or token",
                "Try 'playconnect --help' for more information.");
    }

    @Test
    void configFileProblemsAreOneLineErrors() throws IOException {
        Path file = configFile("htp-port=1\n");

        Cli.Outcome unknownKey = Cli.execute(Map.of(), "run", "--config", file.toString());
        Cli.Outcome missing = Cli.execute(Map.of(), "run", "--config", dir.resolve("absent").toString());

        assertThat(unknownKey.code()).isEqualTo(2);
        assertThat(unknownKey.errLines().get(0)).isEqualTo("playconnect: --config " + file + ": unknown key htp-port");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.errLines().get(0)).startsWith("playconnect: --config " + dir.resolve("absent")
                + ": cannot read it (NoSuchFileException");
    }

    @Test
    void helpAndVersionOnEveryCommand() {
        for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"token", "--help"}}) {
            Cli.Outcome o = Cli.execute(Map.of(), args);
            assertThat(o.code()).as(String.join(" ", args)).isZero();
            assertThat(o.out()).as(String.join(" ", args)).startsWith("Usage: playconnect");
        }
        assertThat(Cli.execute(Map.of(), "run", "--help").out()).contains("--http-port", "PLAYCONNECT_HTTP_PORT");
        for (String[] args : new String[][] {{"--version"}, {"run", "--version"}, {"token", "-V"}}) {
            Cli.Outcome o = Cli.execute(Map.of(), args);
            assertThat(o.code()).isZero();
            assertThat(o.out().strip()).matches("playconnect \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }

    @Test
    void featuresNotInThisBuildAreRefusedNamingTheOption() {
        Cli.Outcome data = Cli.execute(Map.of(), "run", "--data-dir", dir.toString(), "--http-port", "0",
                "--broker", "nats://127.0.0.1:1");
        Cli.Outcome gatewayOnly = Cli.execute(Map.of(), "run", "--roles", "gateway", "--http-port", "0");
        Cli.Outcome unreachable = Cli.execute(Map.of(), "run", "--broker", "nats://127.0.0.1:1", "--http-port", "0",
                "--token-secret", SECRET);

        assertThat(data.code()).isEqualTo(2);
        assertThat(data.errLines()).containsExactly("playconnect: --data-dir " + dir + ": only with the in-process "
                + "broker; with --broker nats://127.0.0.1:1 the broker keeps the data (JetStream's store directory)");
        assertThat(gatewayOnly.code()).isEqualTo(2);
        assertThat(gatewayOnly.errLines().get(0)).startsWith("playconnect: --roles gateway: without the engine role");
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.errLines()).hasSize(1);
        assertThat(unreachable.errLines().get(0)).startsWith("playconnect: --broker nats://127.0.0.1:1: ");
    }

    @Test
    void leaseTtlCommandTimeoutAndReplicasAreCheckedWithBounds() {
        ServerConfig given = Cli.parseRun(Map.of(), "run", "--lease-ttl", "3s", "--command-timeout", "1500ms");
        assertThat(given.leaseTtl()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(given.edgeLimits().commandTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        ServerConfig fromEnv = Cli.parseRun(Map.of("PLAYCONNECT_LEASE_TTL", "PT2M"), "run");
        assertThat(fromEnv.leaseTtl()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(Cli.parseRun(Map.of(), "run").leaseTtl()).isEqualTo(ServerConfig.DEFAULT_LEASE_TTL);

        for (String bad : List.of("0s", "500ms", "11m", "abc", "3h")) {
            Cli.Outcome o = Cli.execute(Map.of(), "run", "--lease-ttl", bad, "--http-port", "0");
            assertThat(o.code()).as(bad).isEqualTo(2);
            assertThat(o.errLines().get(0)).as(bad)
                    .startsWith("playconnect: --lease-ttl: not a duration from 1s to 10m (such as 500ms, 3s, 1m): ");
        }
        assertThat(Cli.parseRun(Map.of(), "run", "--replicas", "3").replicas()).isEqualTo(3);
        assertThat(Cli.parseRun(Map.of(), "run").replicas()).isEqualTo(1);
        assertThat(Cli.execute(Map.of(), "run", "--replicas", "6").errLines().get(0))
                .isEqualTo("playconnect: --replicas: must be a whole number from 1 to 5: '6'");
        Cli.Outcome tooShort = Cli.execute(Map.of(), "run", "--command-timeout", "10ms", "--http-port", "0");
        assertThat(tooShort.code()).isEqualTo(2);
        assertThat(tooShort.errLines().get(0)).startsWith("playconnect: --command-timeout: not a duration from 100ms to 5m");
    }

    @Test
    void explicitPortThatIsTakenIsAnErrorNamingTheOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            Cli.Outcome flag = Cli.execute(Map.of(), "run", "--http-port", "" + port, "--token-secret", SECRET);
            Cli.Outcome env = Cli.execute(Map.of("PLAYCONNECT_HTTP_PORT", "" + port), "run", "--token-secret", SECRET);

            assertThat(flag.code()).isEqualTo(2);
            assertThat(flag.errLines()).containsExactly("playconnect: --http-port " + port + " is already in use");
            assertThat(flag.out()).isEmpty();
            assertThat(env.code()).isEqualTo(2);
            assertThat(env.errLines()).containsExactly("playconnect: --http-port " + port + " is already in use");
        }
    }

    @Test
    void runPrintsOneLinePerListenerThenReady() {
        Cli.Outcome o = Cli.execute(Map.of(), "run", "--http-port", "0", "--token-secret", SECRET);

        assertThat(o.code()).isZero();
        List<String> lines = o.printedBeforeStop();
        assertThat(lines.get(0)).matches("http  http://127\\.0\\.0\\.1:\\d+  \\(health, metrics\\)");
        String httpPort = lines.get(0).replaceAll(".*:(\\d+) .*", "$1");
        // The WebSocket gateway shares the HTTP port; every gateway prints exactly one line.
        assertThat(lines).contains("ws    ws://127.0.0.1:" + httpPort + "/ws");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ready");
        assertThat(lines).doesNotHaveDuplicates();
        assertThat(o.err()).isEmpty();
    }
}
