package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.KvEntry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Retained messages of plain topics, shared by every gateway through the broker's key-value bucket
 * {@value #BUCKET}: one entry per topic (the key is the topic in URL-safe base64, so any topic is a
 * valid key), holding the topic, the publisher's QoS, the properties a server forwards and the
 * payload. An empty retained publish deletes the entry. A new subscription reads the keys, keeps
 * those matching its filter and fetches them; at most {@link #MAX_TOPICS} topics are retained.
 * Room topics never get here: a room's retained message is its state.
 */
final class RetainedMessages {
    static final String BUCKET = "pc-mqtt-retained";
    /** Retained topics at most; a retained publish to a new topic beyond it is refused (quota exceeded). */
    static final int MAX_TOPICS = 10_000;
    /** Longest topic retained (its key must fit the bucket's key limit). */
    static final int MAX_TOPIC_BYTES = 700;

    private final KeyValue bucket;

    /** One retained message as a subscriber receives it. */
    record Retained(String topic, int qos, MqttProperties properties, byte[] payload) {
    }

    RetainedMessages(Broker broker) {
        this.bucket = broker.keyValue(KeyValueConfig.newBuilder(BUCKET)
                .maxValueSize(Math.min(broker.maxMessageSize(), 8 * 1024 * 1024)).build());
    }

    /**
     * Retains (or, with an empty payload, clears) the message of a topic. Completes with false when
     * refused: the topic is too long or {@link #MAX_TOPICS} are retained already.
     */
    CompletableFuture<Boolean> retain(String topic, int qos, MqttProperties properties, byte[] payload) {
        if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            return CompletableFuture.completedFuture(false);
        }
        String key = key(topic);
        if (payload.length == 0) {
            return bucket.delete(key).thenApply(v -> true);
        }
        byte[] value = encode(topic, qos, properties, payload);
        return bucket.keys().thenCompose(keys -> {
            if (keys.size() >= MAX_TOPICS && !keys.contains(key)) {
                return CompletableFuture.completedFuture(false);
            }
            return bucket.put(key, value).thenApply(rev -> true);
        });
    }

    /** The retained messages whose topics match {@code filter}. */
    CompletableFuture<List<Retained>> matching(TopicFilter filter) {
        return bucket.keys().thenCompose(keys -> {
            List<CompletableFuture<Optional<KvEntry>>> gets = new ArrayList<>();
            for (String key : keys) {
                String topic = topic(key);
                if (topic != null && filter.matches(topic)) {
                    gets.add(bucket.get(key));
                }
            }
            return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Retained> out = new ArrayList<>(gets.size());
                for (CompletableFuture<Optional<KvEntry>> g : gets) {
                    g.join().map(e -> decode(e.value())).filter(r -> filter.matches(r.topic())).ifPresent(out::add);
                }
                return out;
            });
        });
    }

    static String key(String topic) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(topic.getBytes(StandardCharsets.UTF_8));
    }

    static String topic(String key) {
        try {
            return new String(Base64.getUrlDecoder().decode(key), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] encode(String topic, int qos, MqttProperties properties, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(topic);
            out.writeByte(qos);
            PlainBus.writeProperties(properties, out);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stored value, or null when it is not one this code wrote. */
    private static Retained decode(byte[] value) {
        if (value.length < 1 || value[0] != 1) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, 1, value.length - 1))) {
            String topic = in.readUTF();
            int qos = in.readByte() & 3;
            MqttProperties props = PlainBus.readProperties(in);
            return new Retained(topic, Math.min(qos, 2), props, in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
