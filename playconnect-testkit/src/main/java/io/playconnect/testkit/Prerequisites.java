package io.playconnect.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a test needs from the machine (a server on a port, a program on the PATH). A missing one
 * fails the test under {@code CI=true}, where nothing may skip silently, and skips it elsewhere,
 * with the reason named either way.
 */
public final class Prerequisites {
    private Prerequisites() {
    }

    /** True when running under CI ({@code CI=true}). */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails under CI, otherwise skips the calling test; returns only to satisfy the compiler. */
    public static AssertionError missing(String why) {
        if (ci()) {
            fail(why + " (CI=true requires it)");
        }
        Assumptions.abort(why);
        return new AssertionError(why);
    }

    /** Requires a server accepting TCP connections on 127.0.0.1:{@code port}. */
    public static void requireListening(String name, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (Exception e) {
            throw missing(name + " is not reachable on 127.0.0.1:" + port);
        }
    }

    /** Requires each program on the PATH. */
    public static void requireOnPath(String... programs) {
        for (String program : programs) {
            if (!onPath(program)) {
                throw missing(program + " is not on the PATH");
            }
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
