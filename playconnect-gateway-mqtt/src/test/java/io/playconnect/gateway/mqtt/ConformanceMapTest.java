package io.playconnect.gateway.mqtt;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/mqtt-conformance.md true: every test it names ({@code `Class#method`}) exists in this
 * package, and every statement row has a status.
 */
class ConformanceMapTest {
    static final Path DOC = Path.of("..", "docs", "mqtt-conformance.md");
    private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*Test)#([a-z][A-Za-z0-9]*)`");
    private static final Pattern ROW = Pattern.compile("^\\| (MQTT-[0-9.]+-[0-9]+)[^|]*\\|[^|]*\\| ([^|]+) \\|",
            Pattern.MULTILINE);
    private static final Set<String> STATUSES = Set.of("tested", "partly", "not tested", "**not met**", "n/a",
            "partly, not tested");

    @Test
    void everyTestTheMapNamesExists() throws IOException {
        String doc = Files.readString(DOC);
        Matcher m = TEST.matcher(doc);
        Set<String> named = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String ref = m.group(1) + "#" + m.group(2);
            if (named.add(ref) && !exists(m.group(1), m.group(2))) {
                missing.add(ref);
            }
        }
        assertThat(named).as("tests named in %s", DOC).hasSizeGreaterThan(50);
        assertThat(missing).as("tests named in %s that do not exist", DOC).isEmpty();
    }

    @Test
    void everyStatementHasAStatus() throws IOException {
        Matcher m = ROW.matcher(Files.readString(DOC));
        int rows = 0;
        while (m.find()) {
            rows++;
            assertThat(m.group(2).trim()).as(m.group(1)).isIn(STATUSES);
        }
        assertThat(rows).as("statement rows").isGreaterThan(150);
    }

    private static boolean exists(String className, String method) {
        try {
            Class<?> c = Class.forName(ConformanceMapTest.class.getPackageName() + "." + className);
            return Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
