package io.playconnect.store.mvstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Fresh data directories for tests, under one temporary root that is removed when the JVM ends. */
final class Directories {
    private static final Path ROOT = create();

    private Directories() {
    }

    private static Path create() {
        try {
            Path root = Files.createTempDirectory("pc-mvstore-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fresh() {
        try {
            return Files.createTempDirectory(ROOT, "store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory left behind is harmless.
        }
    }
}
