package io.playconnect.server.tracing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the server's own {@code logback.xml} with {@code PLAYCONNECT_LOG_FORMAT=json} (as a system
 * property, which logback reads before the environment) and captures what it writes to stderr.
 * {@link #close()} puts stderr and the test's logging back.
 */
final class JsonLogCapture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream savedErr = System.err;

    JsonLogCapture(String level) {
        System.setProperty("PLAYCONNECT_LOG_FORMAT", "json");
        System.setProperty("PLAYCONNECT_LOG_LEVEL", level);
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        URL config = JsonLogCapture.class.getClassLoader().getResource("logback.xml");
        if (config == null) {
            throw new IllegalStateException("the server's logback.xml is not on the class path");
        }
        reconfigure(config);
    }

    private static void reconfigure(URL config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            if (config == null) {
                new ContextInitializer(context).autoConfig();
            } else {
                configurator.doConfigure(config);
            }
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every captured line that is a JSON object; anything else (a stray print) is skipped. */
    synchronized List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("a log line is not JSON: " + line, e);
                }
            }
        }
        return out;
    }

    /** The captured lines whose MDC names {@code traceId}. */
    List<JsonNode> withTrace(String traceId) {
        return lines().stream().filter(n -> traceId.equals(n.path("mdc").path("trace_id").asText(null))).toList();
    }

    @Override
    public void close() {
        System.setErr(savedErr);
        System.clearProperty("PLAYCONNECT_LOG_FORMAT");
        System.clearProperty("PLAYCONNECT_LOG_LEVEL");
        reconfigure(null);
    }
}
