package io.playconnect.bench.load;

import io.playconnect.server.JwtMinter;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What {@code loadgen run} needs for the MQTT drivers and the cross-protocol workload. */
final class MqttRun {
    /** The grants of every load client, as the WebSocket and gRPC drivers give them. */
    private static final Map<String, List<String>> GRANTS = Map.of("chat.*", List.of("subscribe", "publish"));

    private MqttRun() {
    }

    /**
     * {@code mqtt}: PlayConnect's gateway, each client's JWT as its password, publishers listening
     * to the error topic; {@code mqtt-anonymous}: any broker, no password.
     */
    static MqttDriver driver(String driver, URI url, String tokenSecret, int subscribeQos, int publishQos,
                             LoadOptions options) {
        if (url.getHost() == null || url.getPort() < 1) {
            throw new IllegalArgumentException("--url must be mqtt://HOST:PORT with --driver " + driver + ": " + url);
        }
        boolean playconnect = driver.equals("mqtt");
        Function<ClientSpec, String> passwords = null;
        if (playconnect) {
            if (tokenSecret == null) {
                throw new IllegalArgumentException("--token-secret is required with --driver mqtt");
            }
            JwtMinter minter = new JwtMinter(tokenSecret);
            passwords = spec -> minter.mint(spec.user(), GRANTS, Duration.ofHours(2));
        }
        MqttDriver.Config config = new MqttDriver.Config(url.getHost(), url.getPort(), passwords, subscribeQos,
                publishQos, playconnect, playconnect ? "playconnect-mqtt" : "mqtt", playconnect);
        return new MqttDriver(config, options.ioThreads());
    }

    /** The WebSocket subscribers of the cross-protocol workload, or null without {@code --subscriber-url}. */
    static ProtocolDriver subscriberDriver(URI subscriberUrl, String tokenSecret, LoadOptions options) {
        if (subscriberUrl == null) {
            return null;
        }
        if (tokenSecret == null) {
            throw new IllegalArgumentException("--token-secret is required with --subscriber-url");
        }
        JwtMinter minter = new JwtMinter(tokenSecret);
        return new WebSocketDriver(subscriberUrl, spec -> minter.mint(spec.user(), GRANTS, Duration.ofHours(2)),
                options.ioThreads());
    }

    /** Adds the load average before and after the run, and an MQTT driver's QoS, to a result. */
    static void describe(WorkloadResult r, ProtocolDriver d, String loadBefore) {
        r.put("load_average_before", loadBefore).put("load_average_after", loadAverage());
        if (d instanceof MqttDriver m) {
            r.put("mqtt_subscribe_qos", m.config().subscribeQos()).put("mqtt_publish_qos", m.config().publishQos());
        }
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
