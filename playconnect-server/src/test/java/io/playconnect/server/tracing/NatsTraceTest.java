package io.playconnect.server.tracing;

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
import io.playconnect.server.Role;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import io.playconnect.testkit.Prerequisites;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace crosses NATS: an engine-only server and a gateway-only server on the machine's
 * nats-server, each with its own SDK (as two processes would have). The engine's apply span is a
 * child of the gateway's broker span (the context rode in the command), and the gateway's deliver
 * span is a child of the apply span (the context rode in the JetStream record's header).
 */
class NatsTraceTest {
    private static final String SECRET = "tracing-test-secret-0123456789abcdef-xyz";
    private static final String TRACE = "5bf92f3577b34da6a3ce929d0e0e4737";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static InMemorySpanExporter exporter(List<AutoCloseable> closing, OpenTelemetrySdk[] out) {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        out[0] = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        closing.add(out[0]);
        return spans;
    }

    @Test
    void theGatewaysDeliverSpanIsAChildOfTheEnginesApplySpanAcrossJetStream() throws Exception {
        Prerequisites.requireListening("nats-server", 4222);
        String tenant = "tr" + ThreadLocalRandom.current().nextInt(1_000_000);
        OpenTelemetrySdk[] engineSdk = new OpenTelemetrySdk[1];
        OpenTelemetrySdk[] gatewaySdk = new OpenTelemetrySdk[1];
        InMemorySpanExporter engineSpans = exporter(closing, engineSdk);
        InMemorySpanExporter gatewaySpans = exporter(closing, gatewaySdk);
        ServerConfig.Builder common = ServerConfig.newBuilder().httpPort(0).mqttPort(ListenPort.explicit(0))
                .grpcPort(ListenPort.explicit(0)).tokenSecret(SECRET).broker("nats://127.0.0.1:4222")
                .tenant(tenant).partitions(4);
        RunningServer engine = PlayConnectServer.start(common.roles(Set.of(Role.ENGINE))
                .openTelemetry(engineSdk[0]).build());
        closing.add(engine);
        RunningServer gateway = PlayConnectServer.start(common.roles(Set.of(Role.GATEWAY))
                .openTelemetry(gatewaySdk[0]).build());
        closing.add(gateway);

        String token = new JwtMinter(SECRET).mint("carol", Map.of("game.*", JwtMinter.SCOPES), Duration.ofMinutes(5));
        String url = gateway.listeners().stream().filter(l -> l.name().equals("mqtt")).findFirst()
                .map(Listener::url).orElseThrow().replace("mqtt://", "tcp://");
        BlockingQueue<String> topics = new LinkedBlockingQueue<>();
        MqttClient client = new MqttClient(url, "nats-trace", new MemoryPersistence());
        closing.add(client::close);
        closing.add(() -> {
            if (client.isConnected()) {
                client.disconnect();
            }
        });
        client.setTimeToWait(WAIT.toMillis());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName("carol");
        o.setPassword(token.getBytes(StandardCharsets.UTF_8));
        client.connect(o);
        client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[]{
                new org.eclipse.paho.mqttv5.common.MqttSubscription("game/nt1/#", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[]{(topic, m) -> topics.add(topic)});
        // The state message first: the join is complete, so the move arrives as an event.
        assertThat(topics.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("game/nt1/state");

        MqttMessage move = new MqttMessage("{\"move\":\"d4\"}".getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties props = new MqttProperties();
        props.setUserProperties(List.of(new UserProperty("traceparent", "00-" + TRACE + "-00f067aa0ba902b8-01")));
        move.setProperties(props);
        client.publish("game/nt1/move", move);
        assertThat(topics.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("game/nt1/move");

        await().atMost(WAIT).until(() -> named(gatewaySpans, "playconnect.gateway.deliver") != null
                && named(engineSpans, "playconnect.log.append") != null);
        SpanData broker = named(gatewaySpans, "playconnect.broker.request");
        SpanData apply = named(engineSpans, "playconnect.engine.apply");
        SpanData deliver = named(gatewaySpans, "playconnect.gateway.deliver");
        assertThat(List.of(broker, apply, deliver, named(engineSpans, "playconnect.log.append")))
                .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE));
        assertThat(apply.getParentSpanId()).isEqualTo(broker.getSpanId());
        assertThat(deliver.getParentSpanId()).isEqualTo(apply.getSpanId());
        assertThat(named(engineSpans, "playconnect.gateway.deliver")).as("the engine process delivers nothing").isNull();
    }

    private static SpanData named(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name) && "game.nt1".equals(s.getAttributes().get(Tracing.ROOM)))
                .findFirst().orElse(null);
    }
}
