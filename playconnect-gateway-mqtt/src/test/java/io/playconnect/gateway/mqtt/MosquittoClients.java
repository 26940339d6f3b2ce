package io.playconnect.gateway.mqtt;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (package mosquitto-clients) driven from
 * tests. Without them a test is skipped, except under {@code CI=true}, where it fails.
 */
final class MosquittoClients {
    private MosquittoClients() {
    }

    /** Skips (or, on CI, fails) when the binaries are missing. */
    static void require() {
        // Debian's mosquitto-clients package brings both.
        io.playconnect.testkit.Prerequisites.requireOnPath("mosquitto_pub", "mosquitto_sub");
    }


    /** A finished {@code mosquitto_pub}: its exit code and what it printed. */
    record Result(int exitCode, String output) {
    }

    static Result pub(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("mosquitto_pub");
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("mosquitto_pub did not finish: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A running {@code mosquitto_sub} whose output lines are collected. */
    static final class Sub implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Sub(List<String> args) {
            List<String> cmd = new ArrayList<>();
            cmd.add("mosquitto_sub");
            cmd.addAll(args);
            try {
                process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "mosquitto-sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String nextLine(Duration timeout) {
            try {
                String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("mosquitto_sub printed nothing within " + timeout);
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
