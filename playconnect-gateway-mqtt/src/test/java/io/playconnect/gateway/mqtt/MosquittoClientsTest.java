package io.playconnect.gateway.mqtt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's mosquitto clients against the gateway: tokens, refusals, subscribe and publish. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoClientsTest {
    private MqttFixture server;

    @BeforeAll
    void start() {
        MosquittoClients.require();
        server = MqttFixture.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private List<String> args(String version, String clientId, String token, String... more) {
        List<String> a = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(server.port()),
                "-V", version, "-i", clientId, "-u", "cli"));
        if (token != null) {
            a.addAll(List.of("-P", token));
        }
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void refusedTokensGetTheirConnackOnBothVersions() {
        var v3 = MosquittoClients.pub(args("mqttv311", "cli-bad3", "bad", "-t", "chat/m/message", "-m", "{}"));
        assertThat(v3.exitCode()).isNotZero();
        assertThat(v3.output()).contains("not authorised");
        var v5 = MosquittoClients.pub(args("mqttv5", "cli-bad5", "bad", "-t", "chat/m/message", "-m", "{}"));
        assertThat(v5.exitCode()).isNotZero();
        assertThat(v5.output()).contains("Not authorized");
        var none = MosquittoClients.pub(args("mqttv5", "cli-none5", null, "-t", "chat/m/message", "-m", "{}"));
        assertThat(none.output()).containsIgnoringCase("Bad user name or password");
    }

    @Test
    void subscriberGetsCommandsPublishedByAnotherClient() {
        int n = MqttFixture.nextRoom();
        String topic = "chat/m" + n + "/message";
        try (MosquittoClients.Sub sub = new MosquittoClients.Sub(args("mqttv311", "cli-sub-" + n,
                server.token("sue"), "-q", "1", "-t", "chat/m" + n + "/#"))) {
            assertThat(Json.parse(sub.nextLine(Duration.ofSeconds(10))).get("room").asText()).isEqualTo("chat.m" + n);
            for (String v : List.of("mqttv311", "mqttv5")) {
                var r = MosquittoClients.pub(args(v, "cli-pub-" + n, server.token("pete"), "-q", "1", "-t", topic,
                        "-m", "{\"text\":\"" + v + "\"}"));
                assertThat(r.exitCode()).as(r.output()).isZero();
            }
            assertThat(Json.parse(sub.nextLine(Duration.ofSeconds(10))).get("payload").get("text").asText())
                    .isEqualTo("mqttv311");
            assertThat(Json.parse(sub.nextLine(Duration.ofSeconds(10))).get("seq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void subscriptionWithoutScopeIsDenied() {
        String token = server.token("cara", Map.of("chat.*", MqttFixture.ALL_SCOPES));
        try (MosquittoClients.Sub sub = new MosquittoClients.Sub(args("mqttv311", "cli-denied", token,
                "-t", "game/1/#"))) {
            assertThat(sub.nextLine(Duration.ofSeconds(10))).contains("denied");
        }
    }
}
