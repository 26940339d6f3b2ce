package io.playconnect.gateway.mqtt;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.SessionStore;
import io.playconnect.core.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sessions of one gateway: who holds a (user, client id) here, takeover of it on this gateway
 * and on others, and loading a stored session. A session is keyed by user AND client id, so a
 * client id never reaches another user's session. Across gateways, every connection listens on
 * {@code pc.mqtt-session.<hash>}; a new connection for the same key asks there first, and the
 * holder answers once it closed and stored its final state (if it had a persistent session).
 */
final class Sessions {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    private static final String SUBJECT_PREFIX = "pc.mqtt-session.";
    private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(5);

    /** Null: persistent sessions are not offered (no store given to the gateway). */
    final SessionStore store;
    private final Broker broker;
    private final ConcurrentMap<String, MqttConnection> local = new ConcurrentHashMap<>();
    private final java.util.Set<CompletableFuture<Void>> ends = ConcurrentHashMap.newKeySet();

    Sessions(SessionStore store, Broker broker) {
        this.store = store;
        this.broker = broker;
    }

    /** The hash naming a (user, client id) in the store and on the broker: fixed length, any characters. */
    static String hash(String user, String clientId) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(user.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(clientId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String storeId(String hash) {
        return "mqtt:" + hash;
    }

    /**
     * Takes the session over for {@code by}: closes the connection holding it on this gateway and
     * asks other gateways to close theirs; completes when they stored their final state (or after
     * {@link #TAKEOVER_WAIT}), then loads the stored session (empty for a clean start, which
     * deletes it).
     */
    CompletableFuture<Optional<SessionState>> begin(MqttConnection by, String hash, boolean cleanStart) {
        MqttConnection previous = local.put(hash, by);
        CompletableFuture<Void> here = previous == null || previous == by
                ? CompletableFuture.completedFuture(null) : previous.takeOver();
        CompletableFuture<Void> elsewhere = broker == null ? CompletableFuture.completedFuture(null)
                : broker.request(SUBJECT_PREFIX + hash, new byte[0], TAKEOVER_WAIT)
                        .handle((m, err) -> null);
        CompletableFuture<Void> both = CompletableFuture.allOf(here.handle((v, e) -> null), elsewhere)
                .completeOnTimeout(null, TAKEOVER_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (store == null) {
            return both.thenApply(v -> Optional.empty());
        }
        String id = storeId(hash);
        if (cleanStart) {
            return both.thenCompose(v -> store.delete(id)).thenApply(v -> Optional.empty());
        }
        return both.thenCompose(v -> store.load(id)).thenApply(bytes -> bytes.flatMap(Sessions::decode));
    }

    private static Optional<SessionState> decode(byte[] bytes) {
        try {
            return Optional.of(SessionState.decode(bytes));
        } catch (IllegalArgumentException e) {
            // A state this code cannot read is no session: the client starts afresh.
            log.warn("mqtt session state unreadable, starting a new session: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Other gateways may now take this session over; null without a broker. */
    Subscription listen(String hash, MqttConnection holder) {
        if (broker == null) {
            return null;
        }
        return broker.subscribe(SUBJECT_PREFIX + hash, m -> holder.takeOver()
                .whenComplete((v, e) -> m.respond(new byte[0])));
    }

    /**
     * Listens for connections taking a (user, client id) over, on every gateway (a delayed will
     * waits there); null without a broker. The handler must answer the request.
     */
    Subscription subscribeTakeover(String hash, io.playconnect.core.spi.MessageHandler handler) {
        return broker == null ? null : broker.subscribe(SUBJECT_PREFIX + hash, handler);
    }

    void remove(String hash, MqttConnection c) {
        local.remove(hash, c);
    }

    /** A session's final write, awaited when the gateway closes. */
    void ending(CompletableFuture<Void> end) {
        if (!end.isDone()) {
            ends.add(end);
            end.whenComplete((v, e) -> ends.remove(end));
        }
    }

    /** Waits (at most {@code max}) for the final writes of sessions whose connections closed. */
    void awaitEnds(Duration max) {
        try {
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
                    .get(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("mqtt sessions: {} final session writes unfinished at close", ends.size());
        }
    }
}
