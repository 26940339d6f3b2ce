package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared subscriptions ({@code $share/<group>/<filter>}): one member of a group gets each message. */
class SharedSubscriptionTest extends MqttFixture.SharedServer {

    @Test
    void eachMessageGoesToExactlyOneMemberOfAGroupAndEveryGroupAndPlainSubscriberGetsIt() throws Exception {
        int n = MqttFixture.nextRoom();
        String topic = "jobs/" + n + "/new";
        List<Paho.Inbox> workers = List.of(new Paho.Inbox(), new Paho.Inbox(), new Paho.Inbox());
        List<Object> clients = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            // Two members on MQTT 5, one on MQTT 3.1.1: the group does not care.
            Object c = i < 2 ? Paho.v5(server.serverUri, "worker-" + n + "-" + i, server.token("w" + i), workers.get(i))
                    : Paho.v3(server.serverUri, "worker-" + n + "-" + i, server.token("w" + i), workers.get(i));
            if (c instanceof MqttClient v3) {
                v3.subscribe("$share/workers/jobs/" + n + "/+", 1);
            } else {
                ((org.eclipse.paho.mqttv5.client.MqttClient) c).subscribe("$share/workers/jobs/" + n + "/+", 1);
            }
            clients.add(c);
        }
        Paho.Inbox auditor = new Paho.Inbox();
        var audit = Paho.v5(server.serverUri, "auditor-" + n, server.token("aud"), auditor);
        audit.subscribe("$share/audit/jobs/" + n + "/#", 1);
        Paho.Inbox plain = new Paho.Inbox();
        MqttClient watcher = Paho.v3(server.serverUri, "watcher-" + n, server.token("wat"), plain);
        watcher.subscribe(topic, 1);

        MqttClient pub = Paho.v3(server.serverUri, "boss-" + n, server.token("boss"), null);
        int count = 30;
        for (int i = 0; i < count; i++) {
            pub.publish(topic, ("job" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        Set<String> auditSeen = new HashSet<>();
        Set<String> plainSeen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            auditSeen.add(auditor.next().payload());
            plainSeen.add(plain.next().payload());
        }
        assertThat(auditSeen).as("a group of one gets everything").hasSize(count);
        assertThat(plainSeen).as("a plain subscriber gets everything").hasSize(count);
        List<String> byWorkers = new ArrayList<>();
        for (Paho.Inbox w : workers) {
            Paho.Received r;
            while ((r = w.next(Duration.ofMillis(300))) != null) {
                byWorkers.add(r.payload());
            }
        }
        assertThat(byWorkers).as("each job to exactly one worker").hasSize(count).doesNotHaveDuplicates();
        clients.forEach(Paho::closeQuietly);
        Paho.closeQuietly(audit);
        Paho.closeQuietly(watcher);
        Paho.closeQuietly(pub);
    }

    @Test
    void sharedSubscriptionsAreAdvertisedAndBadOnesRefused() {
        MqttConnAckMessage[] ack = new MqttConnAckMessage[1];
        try (RawMqtt raw = RawV5.connect(server, "share-bad", "sal", new MqttProperties(), ack)) {
            assertThat(RawV5.intProperty(ack[0], MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE)).isEqualTo(1);
            raw.send(MqttMessageBuilders.subscribe().messageId(3)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g+/a")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/a/#/b")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/chat/1/#")
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, "$share/g/ok/#").build());
            MqttSubAckMessage sub = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(sub.payload().reasonCodes()).containsExactly(0x8F, 0x8F, 0x8F, 0x8F, 0x9E, 1);
        }
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        try (RawMqtt raw = RawV5.connect(server, "share-nolocal", "sal", new MqttProperties(), null)) {
            raw.send(MqttMessageBuilders.subscribe().messageId(4).addSubscription("$share/g/x",
                    new MqttSubscriptionOption(MqttQoS.AT_MOST_ONCE, true, false,
                            MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)).build());
            assertThat(ConnectTest.disconnectReason(raw)).isEqualTo(0x82);
        }
    }

    @Test
    void unsubscribingAMemberTakesItOutOfTheGroup() throws Exception {
        int n = MqttFixture.nextRoom();
        String filter = "$share/pair/pairs/" + n;
        try (RawMqtt leaving = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "leaving-" + n, server.token("l"));
             RawMqtt staying = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "staying-" + n, server.token("s"))) {
            for (RawMqtt r : new RawMqtt[] {leaving, staying}) {
                r.send(MqttMessageBuilders.subscribe().messageId(1)
                        .addSubscription(filter, new MqttSubscriptionOption(MqttQoS.AT_MOST_ONCE, false, false,
                                MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)).build());
                r.expect(MqttMessageType.SUBACK);
            }
            leaving.send(MqttMessageBuilders.unsubscribe().messageId(2).addTopicFilter(filter).build());
            leaving.expect(MqttMessageType.UNSUBACK);
            MqttClient pub = Paho.v3(server.serverUri, "pairs-pub-" + n, server.token("p"), null);
            for (int i = 0; i < 5; i++) {
                pub.publish("pairs/" + n, ("p" + i).getBytes(StandardCharsets.UTF_8), 0, false);
            }
            for (int i = 0; i < 5; i++) {
                var p = (io.netty.handler.codec.mqtt.MqttPublishMessage) staying.expect(MqttMessageType.PUBLISH);
                assertThat(RawV5.payload(p)).isEqualTo("p" + i);
                p.release();
            }
            assertThat(leaving.next(Duration.ofMillis(200))).isNull();
            Paho.closeQuietly(pub);
        }
    }

    @Test
    void queueGroupNamesAreTheSameOnEveryGatewayAndValid() {
        var shared = (SharedSubscriptions.Shared) SharedSubscriptions.parse("$share/g 1/a b/#");
        assertThat(shared).isEqualTo(new SharedSubscriptions.Shared("g 1", "a b/#"));
        String group = SharedSubscriptions.queueGroup("pc.mqtt", shared);
        assertThat(group).isEqualTo(SharedSubscriptions.queueGroup("pc.mqtt", shared)).doesNotContainPattern("\\s");
        assertThat(SharedSubscriptions.queueGroup("pc.mqtt", new SharedSubscriptions.Shared("g", "x".repeat(500))))
                .hasSizeLessThanOrEqualTo(200);
    }
}
