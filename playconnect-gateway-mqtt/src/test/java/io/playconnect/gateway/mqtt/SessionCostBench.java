package io.playconnect.gateway.mqtt;

import io.playconnect.store.redis.RedisSessionStore;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/**
 * Not a test: a measurement, run on demand with {@code -Dsession.bench=true}. What a persistent
 * session costs a QoS 1 publisher: sequential QoS 1 publishes (each waits for its PUBACK) with
 * clean session 1 and 0, through PlayConnect (commands to a chat room, with the in-memory and the
 * Redis session store) and, beside it, through Debian's mosquitto on a free port (plain topic,
 * no persistence file). Prints p50/p99 per publish; asserts nothing.
 */
@EnabledIfSystemProperty(named = "session.bench", matches = "true")
class SessionCostBench {
    private static final int N = Integer.getInteger("session.bench.n", 2000);
    private static final int WARMUP = 500;

    @Test
    void measure() throws Exception {
        try (MqttFixture memory = MqttFixture.start()) {
            report("playconnect, in-memory store", memory.serverUri, memory.token("bench"), "chat/bench1/message");
        }
        String prefix = "pc-bench-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisSessionStore store = RedisSessionStore.newBuilder().uri("redis://127.0.0.1:6379").keyPrefix(prefix)
                .build();
             MqttFixture redis = MqttFixture.newBuilder().sessionStore(store).build()) {
            report("playconnect, Redis store", redis.serverUri, redis.token("bench"), "chat/bench2/message");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-p", String.valueOf(port)).redirectErrorStream(true)
                .start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> listening(port));
            report("mosquitto " + port, "tcp://127.0.0.1:" + port, null, "bench/plain");
        } finally {
            mosquitto.destroy();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void report(String name, String uri, String token, String topic) throws Exception {
        for (boolean clean : new boolean[] {true, false}) {
            long[] micros = run(uri, token, topic, clean);
            Arrays.sort(micros);
            System.out.printf("SESSION-BENCH %-32s clean=%-5s n=%d p50=%d us p99=%d us%n", name, clean, micros.length,
                    micros[micros.length / 2], micros[(int) (micros.length * 0.99)]);
        }
    }

    private static long[] run(String uri, String token, String topic, boolean clean) throws Exception {
        MqttClient client = new MqttClient(uri, "bench-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions o = Paho.v3Options(token);
        o.setCleanSession(clean);
        // Paho counts a completed publish as in flight for a moment longer; one at a time is waited for anyway.
        o.setMaxInflight(1000);
        client.connect(o);
        byte[] payload = "{\"text\":\"bench\"}".getBytes(StandardCharsets.UTF_8);
        long[] micros = new long[N];
        for (int i = 0; i < WARMUP + N; i++) {
            long start = System.nanoTime();
            client.publish(topic, payload, 1, false);
            if (i >= WARMUP) {
                micros[i - WARMUP] = (System.nanoTime() - start) / 1000;
            }
        }
        client.disconnect();
        client.close();
        return micros;
    }
}
