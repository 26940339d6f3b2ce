package io.playconnect.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real process: {@code Main run} in a child JVM on this test's classpath, its stdout lines, a
 * request, then SIGTERM ({@link Process#destroy()} on Linux) and a clean drain with status 0.
 */
class ProcessSignalTest {
    private static final Pattern HTTP_LINE = Pattern.compile("http  (http://127\\.0\\.0\\.1:\\d+)  \\(health, metrics\\)");

    @TempDir
    Path dir;

    @Test
    void runPrintsListenersServesAndDrainsOnSigterm() throws Exception {
        Path stderr = dir.resolve("stderr.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--http-port", "0", "--token-secret", PlayConnectCommandTest.SECRET)
                .redirectError(stderr.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith(EnvAndFileDefaults.ENV_PREFIX));
        Process process = pb.start();
        try {
            List<String> lines = readUntilReady(process);
            Matcher http = HTTP_LINE.matcher(lines.get(0));
            assertThat(http.matches()).as(lines.get(0)).isTrue();
            assertThat(lines).anyMatch(l -> l.startsWith("ws    ws://127.0.0.1:") && l.endsWith("/ws"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo("ready");

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(http.group(1) + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            String log = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(log).isZero();
            assertThat(log).contains("received SIGTERM: draining", "shutdown: stop accepting",
                    "shutdown: draining the engine", "shutdown: stopping the HTTP server", "shutdown: done in");
            assertThat(log).doesNotContain("(with errors)");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Stdout lines up to and including {@code ready}; the child has a minute to start. */
    private static List<String> readUntilReady(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        // readLine blocks; the watchdog ends the child if it never gets there, which ends the read.
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.equals("ready")) {
                return lines;
            }
        }
        throw new AssertionError("the process ended before 'ready'; stdout: " + lines);
    }
}
