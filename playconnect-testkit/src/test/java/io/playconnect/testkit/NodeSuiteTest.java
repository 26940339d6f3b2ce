package io.playconnect.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs shell commands in place of npm: the suite's folder, environment, exit status and deadline. */
class NodeSuiteTest {

    private static NodeSuite suite(Path dir) throws Exception {
        Files.writeString(dir.resolve("package.json"), "{}");
        // Present already, so prepare installs nothing.
        Files.createDirectories(dir.resolve("node_modules").resolve("dep"));
        return NodeSuite.prepare(dir, "dep");
    }

    @Test
    void runsInTheSuitesFolderWithTheGivenEnvironment(@TempDir Path dir) throws Exception {
        NodeSuite suite = suite(dir);
        suite.run(List.of("sh", "-c", "test -f package.json && test \"$SUITE_VALUE\" = 42"),
                Map.of("SUITE_VALUE", "42"), 30);
        assertThatThrownBy(() -> suite.run(List.of("sh", "-c", "test \"$SUITE_VALUE\" = 42"),
                Map.of("SUITE_VALUE", "41"), 30)).isInstanceOf(AssertionError.class).hasMessageContaining("exit status");
    }

    @Test
    void aSuiteOverItsDeadlineFails(@TempDir Path dir) throws Exception {
        NodeSuite suite = suite(dir);
        assertThatThrownBy(() -> suite.run(List.of("sleep", "30"), Map.of(), 1))
                .isInstanceOf(AssertionError.class).hasMessageContaining("finished within 1 s");
    }

    @Test
    void aFolderWithoutPackageJsonIsNotASuite(@TempDir Path dir) {
        assertThatThrownBy(() -> NodeSuite.prepare(dir, "dep")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("package.json");
    }
}
