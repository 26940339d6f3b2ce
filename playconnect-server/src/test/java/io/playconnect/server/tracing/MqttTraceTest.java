package io.playconnect.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.playconnect.core.trace.Tracing;
import io.playconnect.server.JwtMinter;
import io.playconnect.server.ListenPort;
import io.playconnect.server.Listener;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One chess move from an MQTT 5 client, end to end in one server, with tracing on an in-memory
 * exporter and the server's logback.xml in JSON mode: one trace holds the gateway's receive and
 * broker spans, the engine's apply and log-append spans and the MQTT gateway's delivery span, each
 * with the right parent, and the JSON log lines about the move carry the same trace id.
 */
class MqttTraceTest {
    private static final String SECRET = "tracing-test-secret-0123456789abcdef-xyz";
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private JsonLogCapture logs;
    private RunningServer server;
    private MqttClient subscriber;
    private MqttClient publisher;

    @BeforeEach
    void start() throws MqttException {
        logs = new JsonLogCapture("DEBUG");
        server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0).mqttPort(ListenPort.explicit(0))
                .grpcPort(ListenPort.explicit(0)).tokenSecret(SECRET).openTelemetry(sdk).build());
        String token = new JwtMinter(SECRET).mint("alice", Map.of("game.*", JwtMinter.SCOPES), Duration.ofMinutes(5));
        String url = server.listeners().stream().filter(l -> l.name().equals("mqtt")).findFirst()
                .map(Listener::url).orElseThrow().replace("mqtt://", "tcp://");
        subscriber = connect(url, "sub", token);
        subscriber.setCallback(new Collector(received));
        publisher = connect(url, "pub", token);
    }

    @AfterEach
    void stop() throws MqttException {
        for (MqttClient c : new MqttClient[]{publisher, subscriber}) {
            if (c != null && c.isConnected()) {
                c.disconnect();
            }
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.close();
        }
        sdk.close();
        logs.close();
    }

    @Test
    void oneMoveIsOneTraceFromTheClientsContextThroughEngineToDelivery() throws Exception {
        String room = "game.trace1";
        join("game/trace1");
        move("game/trace1/move", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01");

        JsonNode event = new ObjectMapper().readTree(nextEvent());
        assertThat(event.path("seq").asLong()).isEqualTo(1);
        Map<String, SpanData> byName = awaitSpans(room);

        SpanData receive = byName.get("playconnect.gateway.receive");
        SpanData broker = byName.get("playconnect.broker.request");
        SpanData apply = byName.get("playconnect.engine.apply");
        SpanData append = byName.get("playconnect.log.append");
        SpanData deliver = byName.get("playconnect.gateway.deliver");
        assertThat(receive.getTraceId()).isEqualTo(CLIENT_TRACE);
        assertThat(receive.getParentSpanId()).isEqualTo(CLIENT_SPAN);
        assertThat(broker.getParentSpanId()).isEqualTo(receive.getSpanId());
        assertThat(apply.getParentSpanId()).isEqualTo(broker.getSpanId());
        assertThat(append.getParentSpanId()).isEqualTo(apply.getSpanId());
        assertThat(deliver.getParentSpanId()).isEqualTo(apply.getSpanId());
        assertThat(receive.getAttributes().get(Tracing.PROTOCOL)).isEqualTo("mqtt");
        assertThat(receive.getAttributes().get(Tracing.CONNECTION_ID)).isNotBlank();
        assertThat(apply.getAttributes().get(Tracing.SEQ)).isEqualTo(1L);
        assertThat(deliver.getAttributes().get(Tracing.PROTOCOL)).isEqualTo("mqtt");
        assertThat(deliver.getAttributes().get(Tracing.SUBSCRIBERS)).isEqualTo(1L);
        // The subscriber's envelope names the engine's apply span: a client can continue the trace.
        assertThat(event.path("traceparent").asText()).isEqualTo("00-" + CLIENT_TRACE + "-" + apply.getSpanId() + "-01");

        assertJsonLogsCarry(CLIENT_TRACE, room, receive.getAttributes().get(Tracing.CONNECTION_ID));
    }

    @Test
    void aMalformedTraceparentFromTheClientIsIgnoredAndANewTraceStarts() throws Exception {
        String room = "game.trace2";
        join("game/trace2");
        move("game/trace2/move", "00-not-a-trace-context-at-all");

        JsonNode event = new ObjectMapper().readTree(nextEvent());
        assertThat(event.path("seq").asLong()).isEqualTo(1);
        Map<String, SpanData> byName = awaitSpans(room);
        SpanData receive = byName.get("playconnect.gateway.receive");
        assertThat(receive.getParentSpanContext().isValid()).isFalse();
        assertThat(byName.get("playconnect.gateway.deliver").getParentSpanId())
                .isEqualTo(byName.get("playconnect.engine.apply").getSpanId());
        assertThat(event.path("traceparent").asText()).contains(receive.getTraceId())
                .doesNotContain("not-a-trace");
        assertJsonLogsCarry(receive.getTraceId(), room, receive.getAttributes().get(Tracing.CONNECTION_ID));
    }

    /**
     * Subscribes to the room and waits for its state message: the join is complete, so the move
     * that follows arrives as an event (SUBACK alone comes before the join has read the room).
     */
    private void join(String topicPrefix) throws Exception {
        subscriber.subscribe(topicPrefix + "/#", 1);
        assertThat(nextMessage()).startsWith(topicPrefix + "/state ");
    }

    private void move(String topic, String traceparent) throws MqttException {
        MqttMessage m = new MqttMessage("{\"move\":\"e4\"}".getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties props = new MqttProperties();
        props.setUserProperties(List.of(new UserProperty("traceparent", traceparent)));
        m.setProperties(props);
        // QoS 1: returns once the PUBACK came, which the gateway sends after the commit.
        publisher.publish(topic, m);
    }

    private String nextMessage() throws InterruptedException {
        String m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("the subscriber's next message").isNotNull();
        return m;
    }

    /** The payload of the next message, which must be a move event. */
    private String nextEvent() throws InterruptedException {
        String m = nextMessage();
        assertThat(m).contains("/move ");
        return m.substring(m.indexOf(' ') + 1);
    }

    /** Waits for the five spans of the room's one command; all must be in one trace. */
    private Map<String, SpanData> awaitSpans(String room) {
        Set<String> names = Set.of("playconnect.gateway.receive", "playconnect.broker.request",
                "playconnect.engine.apply", "playconnect.log.append", "playconnect.gateway.deliver");
        await().atMost(WAIT).until(() -> ofRoom(room).stream().map(SpanData::getName).collect(Collectors.toSet())
                .containsAll(names));
        List<SpanData> all = ofRoom(room);
        assertThat(all).extracting(SpanData::getName).doesNotHaveDuplicates();
        assertThat(all.stream().map(SpanData::getTraceId).distinct()).hasSize(1);
        return all.stream().collect(Collectors.toMap(SpanData::getName, s -> s));
    }

    private List<SpanData> ofRoom(String room) {
        return spans.getFinishedSpanItems().stream().filter(s -> room.equals(s.getAttributes().get(Tracing.ROOM)))
                .toList();
    }

    private void assertJsonLogsCarry(String traceId, String room, String connectionId) {
        await().atMost(WAIT).until(() -> logs.withTrace(traceId).size() >= 2);
        List<JsonNode> lines = logs.withTrace(traceId);
        assertThat(lines).allSatisfy(l -> assertThat(l.path("mdc").path("room").asText()).isEqualTo(room));
        // The gateway's line about the command: every key.
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("loggerName").asText()).endsWith("CommandPipeline");
            assertThat(l.path("mdc").path("connection_id").asText()).isEqualTo(connectionId);
            assertThat(l.path("mdc").path("protocol").asText()).isEqualTo("mqtt");
        });
        // The engine's line about the same command, on its partition thread.
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("loggerName").asText()).endsWith("Partition");
            assertThat(l.path("mdc").path("protocol").asText()).isEqualTo("mqtt");
        });
    }

    private static MqttClient connect(String url, String id, String token) throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        c.setTimeToWait(WAIT.toMillis());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setUserName(id);
        o.setPassword(token.getBytes(StandardCharsets.UTF_8));
        c.connect(o);
        return c;
    }

    /** Collects the payloads the subscriber receives. */
    private record Collector(BlockingQueue<String> into) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            into.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
