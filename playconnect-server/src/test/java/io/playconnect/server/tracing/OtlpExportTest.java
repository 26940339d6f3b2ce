package io.playconnect.server.tracing;

import com.sun.net.httpserver.HttpServer;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.Origin;
import io.playconnect.core.Partitioner;
import io.playconnect.core.RoomId;
import io.playconnect.server.ListenPort;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standard settings alone turn export on: with {@code otel.traces.exporter=otlp} and an
 * endpoint (the system-property forms of OTEL_TRACES_EXPORTER and OTEL_EXPORTER_OTLP_ENDPOINT),
 * a command's spans reach an OTLP/HTTP receiver (a JDK HTTP server standing in for a collector).
 */
class OtlpExportTest {
    private static final String[] PROPERTIES = {"otel.traces.exporter", "otel.exporter.otlp.endpoint",
            "otel.bsp.schedule.delay", "otel.service.name"};
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    @AfterEach
    void clear() {
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void spansGoToTheOtlpEndpointTheSettingsName() throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("content-type") + " "
                    + new String(body, StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
        System.setProperty("otel.bsp.schedule.delay", "50");
        System.setProperty("otel.service.name", "otlp-export-test");

        try (RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0))
                .tokenSecret("tracing-test-secret-0123456789abcdef-xyz").build())) {
            CommandSender sender = new CommandSender(server.broker(), new Partitioner(server.config().partitions()));
            CommandResult r = sender.send(new Command(RoomId.parse("chat.otlp"), "chat.message",
                    "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), "c1", new Origin("test", "alice"), null),
                    Duration.ofSeconds(10)).join();
            assertThat(r).isInstanceOf(CommandResult.Accepted.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> posts.stream().anyMatch(p -> p.contains("playconnect.engine.apply")));
        }
        // The span names travel as protobuf strings inside the body; the path and type are OTLP/HTTP's.
        assertThat(posts).anySatisfy(p -> assertThat(p)
                .startsWith("POST /v1/traces application/x-protobuf ")
                .contains("playconnect.log.append").contains("otlp-export-test").contains("chat.otlp"));
    }
}
