package io.playconnect.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.playconnect.testkit.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image Jib wrote (profile {@code image}: {@code ./mvnw -pl playconnect-server -Pimage verify})
 * is runnable: its layers, unpacked in order, are a root file system on which the image's own
 * entrypoint, environment and user start the server, which answers /healthz and drains on SIGTERM.
 * A container runtime is not needed for that: a chroot with its own /proc (unshare) is enough, as
 * root. Runs only in that profile, which sets {@code playconnect.image.tar}.
 */
@EnabledIfSystemProperty(named = "playconnect.image.tar", matches = ".+")
class ImageTarballTest {
    private static final Pattern HTTP_LINE = Pattern.compile("^http\\s+(http://\\S+).*");

    @TempDir
    Path dir;

    @Test
    void theImageRunsTheServerAsItsUser() throws Exception {
        Path tar = Path.of(System.getProperty("playconnect.image.tar"));
        assertThat(tar).exists();
        Prerequisites.requireOnPath("tar", "unshare", "chroot");
        if (!"0".equals(run(List.of("id", "-u")).trim())) {
            throw Prerequisites.missing("unpacking and chrooting into the image needs root");
        }
        Path layout = Files.createDirectories(dir.resolve("layout"));
        run(List.of("tar", "-xf", tar.toString(), "-C", layout.toString()));
        JsonNode manifest = blob(layout, DeployFiles.readJson(layout.resolve("index.json")).path("manifests").get(0));
        JsonNode config = blob(layout, manifest.path("config")).path("config");
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        assertThat(config.path("ExposedPorts").fieldNames()).toIterable().contains("8080/tcp", "1883/tcp", "9090/tcp");

        Path root = Files.createDirectories(dir.resolve("root"));
        for (JsonNode layer : manifest.path("layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", layout.resolve("blobs/sha256/" + digest(layer)).toString(), "-C", root.toString()));
        }
        Files.createDirectories(root.resolve("proc"));
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child=SIGTERM",
                "--mount-proc=" + root.resolve("proc"), "chroot", "--userspec=" + config.path("User").asText(), root.toString()));
        config.path("Entrypoint").forEach(a -> command.add(a.asText()));
        command.addAll(List.of("run", "--host", "127.0.0.1", "--http-port", "0", "--mqtt-port", "0", "--grpc-port", "0",
                "--token-secret", "image-tarball-test-secret-0123456789"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile());
        // The image's environment, on top of this one without its PLAYCONNECT_ settings (unshare
        // needs PATH to find chroot; the server ignores it).
        pb.environment().keySet().removeIf(k -> k.startsWith("PLAYCONNECT_") || k.startsWith("JAVA_TOOL"));
        config.path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            pb.environment().put(kv[0], kv[1]);
        });
        Process server = pb.start();
        try {
            String http = awaitHttpLine(server);
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(http + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            // SIGTERM to the server itself: unshare does not pass signals on to its child.
            server.toHandle().descendants().forEach(ProcessHandle::destroy);
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            String log = Files.readString(dir.resolve("stderr.log"), StandardCharsets.UTF_8);
            assertThat(log).as(log).contains("shutdown: done in");
        } finally {
            server.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }

    private static String digest(JsonNode descriptor) {
        return descriptor.path("digest").asText().replace("sha256:", "");
    }

    private static JsonNode blob(Path layout, JsonNode descriptor) {
        return DeployFiles.readJson(layout.resolve("blobs/sha256/" + digest(descriptor)));
    }

    /** The URL on the {@code http} line the server prints; the child has two minutes to get there. */
    private static String awaitHttpLine(Process server) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                if (!server.waitFor(120, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String http = null;
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = HTTP_LINE.matcher(line);
            if (m.matches()) {
                http = m.group(1);
            }
            if (line.equals("ready")) {
                assertThat(http).as("an http line before ready").isNotNull();
                return http;
            }
        }
        throw new AssertionError("the server in the image ended before 'ready'");
    }

    private static String run(List<String> command) throws Exception {
        Path out = Files.createTempFile("cmd", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 120 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(command + ": " + output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
