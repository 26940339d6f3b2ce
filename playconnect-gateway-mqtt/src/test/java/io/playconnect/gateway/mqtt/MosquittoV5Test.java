package io.playconnect.gateway.mqtt;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 properties through Debian's mosquitto_pub and mosquitto_sub ({@code -V mqttv5 -D ...}):
 * what mosquitto_pub sets, mosquitto_sub prints, with the subscription identifier it asked for.
 */
class MosquittoV5Test extends MqttFixture.SharedServer {

    private List<String> args(String clientId, String user, String... more) {
        List<String> a = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(server.port()),
                "-V", "mqttv5", "-i", clientId, "-u", user, "-P", server.token(user)));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void propertiesAndTheSubscriptionIdentifierReachMosquittoSub() {
        MosquittoClients.require();
        int n = MqttFixture.nextRoom();
        String base = "mv5/" + n;
        try (MosquittoClients.Sub sub = new MosquittoClients.Sub(args("mv5-sub-" + n, "sue", "-q", "1",
                "-t", base + "/#", "-D", "subscribe", "subscription-identifier", "12",
                "-F", "%t|%p|%C|%R|%P|%E|%S"))) {
            // mosquitto_sub subscribes after it connected: repeat a marker until it shows.
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
                MosquittoClients.pub(args("mv5-mark-" + n, "pat", "-t", base + "/ready", "-m", "r"));
                try {
                    return sub.nextLine(Duration.ofMillis(200)).startsWith(base + "/ready|");
                } catch (AssertionError nothingYet) {
                    return false;
                }
            });
            var pub = MosquittoClients.pub(args("mv5-pub-" + n, "pat", "-q", "1", "-t", base + "/x", "-m", "hi",
                    "-D", "publish", "content-type", "text/plain",
                    "-D", "publish", "response-topic", base + "/reply",
                    "-D", "publish", "user-property", "app", "demo",
                    "-D", "publish", "message-expiry-interval", "600"));
            assertThat(pub.exitCode()).as(pub.output()).isZero();
            String line;
            do {
                line = sub.nextLine(Duration.ofSeconds(10));
            } while (line.startsWith(base + "/ready|"));
            String[] f = line.split("\\|", -1);
            assertThat(f[0]).isEqualTo(base + "/x");
            assertThat(f[1]).isEqualTo("hi");
            assertThat(f[2]).isEqualTo("text/plain");
            assertThat(f[3]).isEqualTo(base + "/reply");
            assertThat(f[4]).isEqualTo("app:demo");
            assertThat(Integer.parseInt(f[5])).as("expiry left").isBetween(590, 600);
            assertThat(f[6]).as("subscription identifier").isEqualTo("12");
        }
    }
}
