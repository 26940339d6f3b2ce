package io.playconnect.server.scaleout;

import io.playconnect.server.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One `playconnect run` in its own JVM, started from the test class path, with its listener lines. */
final class ServerProcess implements AutoCloseable {
    final String name;
    final Process process;
    final List<String> lines;

    private ServerProcess(String name, Process process, List<String> lines) {
        this.name = name;
        this.process = process;
        this.lines = lines;
    }

    static ServerProcess start(String name, Path logDir, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(logDir.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PLAYCONNECT_"));
        Process process = pb.start();
        try {
            List<String> lines = CompletableFuture.supplyAsync(() -> readUntilReady(process))
                    .get(90, TimeUnit.SECONDS);
            return new ServerProcess(name, process, lines);
        } catch (Exception e) {
            process.destroyForcibly();
            String log = Files.readString(logDir.resolve(name + ".log"), StandardCharsets.UTF_8);
            throw new IllegalStateException(name + " did not start: " + e.getMessage() + "\n" + log, e);
        }
    }

    private static List<String> readUntilReady(Process process) {
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("ready")) {
                    return lines;
                }
                lines.add(line);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the process ended before 'ready'; it printed " + lines);
    }

    /** The URL of the listener whose line starts with {@code name}, e.g. {@code ws}. */
    URI listener(String listenerName) {
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts[0].equals(listenerName)) {
                return URI.create(parts[1]);
            }
        }
        throw new IllegalStateException(name + " printed no " + listenerName + " listener: " + lines);
    }

    long pid() {
        return process.pid();
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}). */
    void signal(String name) throws Exception {
        // The shell's own kill, so no procps package is needed.
        Process kill = new ProcessBuilder("bash", "-c", "kill -" + name + " " + process.pid()).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** {@code kill -9}: the process gets no chance to do anything. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The value of a Prometheus sample whose line starts with {@code sample} (name and labels), or -1. */
    double metric(String sample) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(listener("http") + "/metrics"))
                        .timeout(java.time.Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }

    /** Stops it whatever state it is in: resumed if stopped, then SIGKILL. For cleanup. */
    void destroy() {
        if (!process.isAlive()) {
            return;
        }
        try {
            signal("CONT");
        } catch (Exception e) {
            // Already gone.
        }
        process.destroyForcibly();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
