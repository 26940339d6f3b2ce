package io.playconnect.gateway.mqtt;

import io.playconnect.core.spi.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The persistence of one connection's MQTT session: writes the state to the {@link SessionStore}
 * after it changed (one save at a time; changes made meanwhile go into the next one), runs what must
 * wait for a save (PUBREC, PUBCOMP, a command whose correlationId must be stored first) once a save
 * holding the change completed, refreshes the entry while connected, and at the end stores the
 * final state with the session's expiry (or deletes it, expiry 0). A failed save closes the
 * connection: nothing that waited for it leaves. Confined to the connection's event loop.
 */
final class MqttSession {
    private static final Logger log = LoggerFactory.getLogger(MqttSession.class);
    private static final long MIN_REFRESH_SECONDS = 1;
    private static final long MAX_REFRESH_SECONDS = 600;

    private final MqttConnection c;
    private final SessionStore store;
    final String storeId;
    final String tag;
    long counter;
    private long expirySeconds;
    private boolean saving;
    private boolean dirty;
    private boolean ended;
    private List<Runnable> waiting = new ArrayList<>();
    private List<Runnable> afterCurrent = new ArrayList<>();
    private ScheduledFuture<?> refresh;

    MqttSession(MqttConnection c, SessionStore store, String storeId, String tag, long counter, long expirySeconds) {
        this.c = c;
        this.store = store;
        this.storeId = storeId;
        this.tag = tag;
        this.counter = counter;
        this.expirySeconds = expirySeconds;
    }

    /** Whether state is written to the store (expiry 0: the session ends with the connection). */
    boolean stored() {
        return expirySeconds > 0 && !ended;
    }

    long expirySeconds() {
        return expirySeconds;
    }

    /** MQTT 5 DISCONNECT may change the expiry (not from 0, which the handshake checks). */
    void expiry(long seconds) {
        this.expirySeconds = seconds;
    }

    /** Starts the periodic refresh and writes the first state. */
    void start() {
        if (!stored()) {
            return;
        }
        long period = Math.max(MIN_REFRESH_SECONDS, Math.min(MAX_REFRESH_SECONDS, expirySeconds / 2));
        refresh = c.ctx().executor().scheduleAtFixedRate(this::changed, period, period, TimeUnit.SECONDS);
        changed();
    }

    /** The state changed: it is written soon, nothing waits for it. */
    void changed() {
        if (!stored()) {
            return;
        }
        dirty = true;
        saveNext();
    }

    /** Runs {@code then} once a save that includes the current state completed (at once when not stored). */
    void saveThen(Runnable then) {
        if (!stored()) {
            then.run();
            return;
        }
        dirty = true;
        waiting.add(then);
        saveNext();
    }

    /**
     * Runs {@code then} after whatever is already waiting for a save, without asking for a save of
     * its own: keeps answers in order behind ones that wait.
     */
    void inOrder(Runnable then) {
        if (!stored()) {
            then.run();
        } else if (!waiting.isEmpty()) {
            waiting.add(then);
        } else if (saving) {
            afterCurrent.add(then);
        } else {
            then.run();
        }
    }

    private void saveNext() {
        if (saving || !dirty || ended) {
            return;
        }
        saving = true;
        dirty = false;
        afterCurrent = waiting;
        waiting = new ArrayList<>();
        byte[] state = c.exportState().encode();
        store.save(storeId, state, connectedTtl()).whenComplete((v, err) -> c.post(() -> saved(err)));
    }

    private void saved(Throwable err) {
        saving = false;
        List<Runnable> done = afterCurrent;
        afterCurrent = new ArrayList<>();
        if (err != null) {
            log.warn("mqtt session {} of {} could not be saved: {}", storeId, c.clientId(), err.toString());
            c.closeWith(ReasonCodes.UNSPECIFIED, "the session store is unavailable");
            return;
        }
        done.forEach(Runnable::run);
        saveNext();
    }

    /** While connected the entry outlives one refresh period beyond the expiry: it never lapses early. */
    private Duration connectedTtl() {
        return Duration.ofSeconds(expirySeconds + Math.max(MIN_REFRESH_SECONDS,
                Math.min(MAX_REFRESH_SECONDS, expirySeconds / 2)) * 2);
    }

    /**
     * The connection is gone: stores the final state with the session's expiry, or deletes it
     * (expiry 0). The future completes when the store answered (a takeover waits for it).
     */
    CompletableFuture<Void> end(SessionState finalState) {
        boolean keep = stored();
        ended = true;
        if (refresh != null) {
            refresh.cancel(false);
        }
        waiting.clear();
        afterCurrent.clear();
        CompletableFuture<Void> f;
        try {
            f = keep ? store.save(storeId, finalState.encode(), Duration.ofSeconds(expirySeconds))
                    : store.delete(storeId);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((v, err) -> {
            if (err != null) {
                log.warn("mqtt session {} of {}: final state not stored: {}", storeId, c.clientId(), err.toString());
            }
            return null;
        });
    }
}
