package io.playconnect.server.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.playconnect.core.trace.Tracing;
import io.playconnect.server.JwtMinter;
import io.playconnect.server.ListenPort;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client's context enters through the WebSocket publish field and the HTTP API header too. */
class EntryPointsTraceTest {
    private static final String SECRET = "tracing-test-secret-0123456789abcdef-xyz";
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String SPAN = "b7ad6b7169203331";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningServer server;
    private String token;

    @BeforeEach
    void start() {
        server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0).mqttPort(ListenPort.explicit(0))
                .grpcPort(ListenPort.explicit(0)).tokenSecret(SECRET).openTelemetry(sdk).build());
        token = new JwtMinter(SECRET).mint("bob", Map.of("chat.*", JwtMinter.SCOPES), Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        server.close();
        sdk.close();
    }

    @Test
    void theHttpApiTakesTheTraceparentHeader() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/api/v1/publish"))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .header("traceparent", "00-" + TRACE + "-" + SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"room\":\"chat.http\",\"type\":\"message\",\"payload\":{\"text\":\"hi\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertReceivedUnderTheClientsSpan("chat.http");
    }

    @Test
    void theWebSocketPublishFrameCarriesIt() throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(
                URI.create(server.httpUrl().replace("http://", "ws://") + "/ws?token=" + token), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"op\":\"publish\",\"room\":\"chat.ws\",\"type\":\"message\",\"payload\":{\"text\":\"hi\"},"
                    + "\"correlationId\":\"w1\",\"traceparent\":\"00-" + TRACE + "-" + SPAN + "-01\"}", true)
                    .get(10, TimeUnit.SECONDS);
            String ack = null;
            for (int i = 0; i < 10 && (ack == null || !ack.contains("\"op\":\"ack\"")); i++) {
                ack = frames.poll(10, TimeUnit.SECONDS);
            }
            assertThat(ack).contains("\"op\":\"ack\"");
            assertReceivedUnderTheClientsSpan("chat.ws");
        } finally {
            ws.abort();
        }
    }

    private void assertReceivedUnderTheClientsSpan(String room) {
        await().atMost(Duration.ofSeconds(10)).until(() -> find(room, "playconnect.log.append") != null
                && find(room, "playconnect.gateway.receive") != null);
        SpanData receive = find(room, "playconnect.gateway.receive");
        assertThat(receive.getTraceId()).isEqualTo(TRACE);
        assertThat(receive.getParentSpanId()).isEqualTo(SPAN);
        assertThat(find(room, "playconnect.log.append").getTraceId()).isEqualTo(TRACE);
    }

    private SpanData find(String room, String name) {
        List<SpanData> all = spans.getFinishedSpanItems();
        return all.stream().filter(s -> s.getName().equals(name) && room.equals(s.getAttributes().get(Tracing.ROOM)))
                .findFirst().orElse(null);
    }
}
