package io.playconnect.testkit;


import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Node test suite of this repository (a folder with a {@code package.json}, such as
 * {@code clients/ws-contract-test}) run from a JUnit test against an in-process server.
 *
 * <pre>{@code
 * NodeSuite suite = NodeSuite.prepare(Path.of("..", "clients", "ws-contract-test"), "ws");
 * suite.run(List.of("npm", "test"), Map.of("PLAYCONNECT_WS_URL", url), 120);
 * }</pre>
 */
public final class NodeSuite {
    private final Path dir;

    private NodeSuite(Path dir) {
        this.dir = dir;
    }

    /**
     * The suite in {@code dir}, ready to run. Without node and npm on the PATH the calling test is
     * skipped, except under {@code CI=true}, where it fails. Installs the suite's dependencies
     * when {@code node_modules/<module>} is missing.
     */
    public static NodeSuite prepare(Path dir, String module) throws IOException, InterruptedException {
        Objects.requireNonNull(module, "module");
        NodeSuite suite = new NodeSuite(dir.toAbsolutePath().normalize());
        String name = suite.dir.getFileName().toString();
        for (String tool : List.of("node", "npm")) {
            if (!Prerequisites.onPath(tool)) {
                throw Prerequisites.missing(tool + " is not on the PATH, needed by the Node suite " + name);
            }
        }
        assertThat(suite.dir.resolve("package.json")).exists();
        if (!Files.isDirectory(suite.dir.resolve("node_modules").resolve(module))) {
            suite.run(List.of("npm", "install", "--no-audit", "--no-fund"), Map.of(), 180);
        }
        return suite;
    }

    /**
     * Runs {@code command} in the suite's folder with {@code env} added, prints its output, and
     * asserts that it finished within {@code timeoutSeconds} with exit status 0.
     */
    public void run(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        File log = Files.createTempFile(dir.getFileName().toString(), ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        System.out.println(String.join(" ", command) + " output:\n" + output);
        assertThat(done).as(command + " finished within " + timeoutSeconds + " s").isTrue();
        assertThat(p.exitValue()).as(command + " exit status; output:\n" + output).isZero();
    }
}
