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

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
