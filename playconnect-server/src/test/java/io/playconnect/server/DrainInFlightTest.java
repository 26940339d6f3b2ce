package io.playconnect.server;

import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.core.CommandResult;
import io.playconnect.core.Subjects;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.Subscription;
import io.playconnect.client.ConnectionListener;
import io.playconnect.client.PlayConnectClient;
import io.playconnect.client.PlayConnectException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What SIGTERM does to clients of a gateway process (Kubernetes' pod termination): readiness goes
 * at once, a command already sent to the engine still gets its real answer, and only then is every
 * client told to reconnect elsewhere (MQTT 5 DISCONNECT 0x8B, WebSocket close 1001, gRPC stream
 * ended UNAVAILABLE with retry). The engine is
 * a stand-in on the shared broker that holds the command until the test lets it answer, so the
 * command is in flight for as long as the test needs, without timing.
 */
class DrainInFlightTest {
    private static final String SECRET = "drain-in-flight-test-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aCommandInFlightIsAnsweredBeforeClientsAreToldToGo() throws Exception {
        LinkedBlockingQueue<Message> held = new LinkedBlockingQueue<>();
        List<String> mqttEvents = new CopyOnWriteArrayList<>();
        try (InMemoryBroker broker = InMemoryBroker.newBuilder().build();
             Subscription engine = broker.subscribe(Subjects.commands(0), held::add)) {
            RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                    .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0)).tokenSecret(SECRET)
                    .roles(java.util.EnumSet.of(Role.GATEWAY)).sharedBroker(broker).partitions(1)
                    // Far longer than the test holds the command, so it never times out on a slow machine.
                    .edgeLimits(io.playconnect.edge.limits.EdgeLimits.defaults().toBuilder()
                            .commandTimeout(Duration.ofSeconds(60)).build())
                    .build());
            try {
                String token = new JwtMinter(SECRET).mint("alice", Map.of("chat.*", JwtMinter.SCOPES), Duration.ofMinutes(5));
                MqttAsyncClient mqtt = mqttClient(server, token, mqttEvents);
                CompletableFuture<PlayConnectException> grpcEnd = new CompletableFuture<>();
                CompletableFuture<Void> grpcReady = new CompletableFuture<>();
                PlayConnectClient grpc = PlayConnectClient.newBuilder().target(grpcTarget(server)).token(token).build();
                grpc.connect(new ConnectionListener() {
                    @Override
                    public void onAuthenticated(String user, java.time.Instant expiresAt) {
                        grpcReady.complete(null);
                    }

                    @Override
                    public void onDisconnected(PlayConnectException cause, boolean reconnecting) {
                        grpcEnd.complete(cause);
                    }
                });
                grpcReady.get(10, TimeUnit.SECONDS);
                CompletableFuture<Integer> wsClose = new CompletableFuture<>();
                HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort() + "/ws?token=" + token),
                                closeListener(wsClose)).get(10, TimeUnit.SECONDS);

                IMqttToken publish = mqtt.publish("chat/lobby/message", "{\"text\":\"last words\"}".getBytes(StandardCharsets.UTF_8), 1, false);
                Message command = held.poll(10, TimeUnit.SECONDS);
                assertThat(command).as("the command reached the engine").isNotNull();

                CompletableFuture<Boolean> drained = server.closeAsync();
                await().atMost(WAIT).until(() -> status(server, "/readyz") == 503);
                // The command is still in flight: nobody has been sent away yet.
                assertThat(publish.isComplete()).isFalse();
                assertThat(mqttEvents).isEmpty();
                assertThat(wsClose).isNotDone();
                assertThat(grpcEnd).isNotDone();

                command.respond(EnvelopeCodec.instance().encodeResult(new CommandResult.Accepted("e1", 1)));
                publish.waitForCompletion(WAIT.toMillis());
                assertThat(publish.getException()).isNull();
                assertThat(drained.get(20, TimeUnit.SECONDS)).as("a clean drain").isTrue();
                await().atMost(WAIT).until(() -> mqttEvents.size() == 2 && wsClose.isDone());
                assertThat(mqttEvents).containsExactly("puback", "disconnect 139");
                assertThat(wsClose.get()).isEqualTo(1001);
                // gRPC: the Connect stream ends UNAVAILABLE, retryable, trailer close reason going_away.
                PlayConnectException end = grpcEnd.get(10, TimeUnit.SECONDS);
                assertThat(end.status().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(end.retry()).isTrue();
                grpc.close();
            } finally {
                server.close();
            }
        }
    }

    private static String grpcTarget(RunningServer server) {
        String url = server.listeners().stream().filter(l -> l.name().equals("grpc")).findFirst().orElseThrow().url();
        return url.replace("grpc://", "");
    }

    private static int status(RunningServer server, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.httpUrl() + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static MqttAsyncClient mqttClient(RunningServer server, String token, List<String> events) throws MqttException {
        String url = server.listeners().stream().filter(l -> l.name().equals("mqtt")).findFirst().orElseThrow().url();
        MqttAsyncClient c = new MqttAsyncClient(url.replace("mqtt://", "tcp://"), "drained", new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                events.add("disconnect " + response.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                events.add("puback");
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setUserName("alice");
        o.setPassword(token.getBytes(StandardCharsets.UTF_8));
        c.connect(o).waitForCompletion(WAIT.toMillis());
        return c;
    }

    private static WebSocket.Listener closeListener(CompletableFuture<Integer> closed) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        };
    }
}
