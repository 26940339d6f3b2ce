package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.core.spi.Subscription;
import io.playconnect.edge.EdgeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a connection's will when it ends without a normal DISCONNECT. A will on a plain topic
 * goes to the broker, after the MQTT 5 Will Delay Interval when the session outlives the connection
 * (the smaller of the delay and the session expiry): if the same user connects with the same client
 * id before that, on any gateway, the will is dropped (the new connection's takeover request on
 * {@code pc.mqtt-session.<hash>} reaches the waiting will too). A will on a room topic is a
 * command, sent at once: the edge session stays open until the engine answered it (at most the
 * command timeout), and only then ends the client's presence.
 */
final class Wills {
    private static final Logger log = LoggerFactory.getLogger(Wills.class);

    private final MqttConnection c;
    private Will will;
    private String pendingCorrelationId;
    private EdgeSession closing;
    /** The broker subscription of a delayed will waiting for a reconnect, or null. */
    private Subscription waitingForReconnect;
    private ScheduledFuture<?> delayed;

    Wills(MqttConnection connection) {
        this.c = connection;
    }

    /** The will to publish if the connection is lost; null drops it (normal DISCONNECT, refused CONNECT). */
    void set(Will will) {
        this.will = will;
    }

    /** The transport is gone: publish the will, if any, then end the session. */
    void connectionLost(EdgeSession session) {
        Will w = will;
        will = null;
        if (w == null || c.clientId() == null) {
            session.close();
            return;
        }
        if (w.kind() instanceof Topics.PlainTopic plain) {
            long delay = delaySeconds(w);
            String origin = session.connectionId();
            String user = session.principal() == null ? null : session.principal().user();
            session.close();
            if (delay > 0 && user != null && c.rt.plainBus != null) {
                delay(plain, w, origin, Sessions.hash(user, c.clientId()), delay);
            } else {
                publishPlain(plain, w, origin);
            }
        } else if (w.kind() instanceof Topics.RoomTopic room) {
            String correlationId = w.correlationData() != null ? w.correlationData() : "will-" + UUID.randomUUID();
            pendingCorrelationId = correlationId;
            closing = session;
            session.publish(room.room(), room.name(), w.payload(), correlationId, null);
            long wait = c.rt.edge.limits().commandTimeout().toMillis() + 1000;
            try {
                c.ctx().executor().schedule(this::finish, wait, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                finish();
            }
        } else {
            session.close();
        }
    }

    private void publishPlain(Topics.PlainTopic plain, Will w, String origin) {
        if (c.rt.plainBus != null) {
            c.rt.plainBus.publish(plain.topic(), w.qos(), origin, w.properties(), w.payload());
            if (w.retain() && c.rt.retained != null) {
                c.rt.retained.retain(plain.topic(), w.qos(), w.properties(), w.payload());
            }
        }
    }

    /**
     * The Will Delay Interval, capped by the session's life: a session that ends with the connection
     * (expiry 0) publishes its will at once.
     */
    private long delaySeconds(Will w) {
        Integer delay = Handshake.intProperty(w.properties(), MqttProperties.WILL_DELAY_INTERVAL);
        MqttSession persistence = c.persistence();
        long expiry = persistence == null ? 0 : persistence.expirySeconds();
        return delay == null ? 0 : Math.min(Integer.toUnsignedLong(delay), expiry);
    }

    /** Waits {@code seconds} for a reconnect of the same (user, client id) before publishing the will. */
    private void delay(Topics.PlainTopic plain, Will w, String origin, String hash, long seconds) {
        c.rt.delayedWills.incrementAndGet();
        try {
            delayed = c.ctx().executor().schedule(() -> {
                if (endDelay()) {
                    publishPlain(plain, w, origin);
                }
            }, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            endDelay();
            publishPlain(plain, w, origin);
            return;
        }
        // A new connection asks the session's holder here before it proceeds; answer once this
        // connection's final session state is stored, as the holder itself would.
        waitingForReconnect = c.rt.sessions.subscribeTakeover(hash, m -> {
            c.post(() -> {
                if (endDelay()) {
                    log.debug("will of {} dropped: the client reconnected within the will delay", c.clientId());
                }
            });
            c.takeOver().whenComplete((v, e) -> m.respond(new byte[0]));
        });
    }

    /** Ends a delayed will's wait; true for the one caller that does (the will is then published or dropped). */
    private boolean endDelay() {
        if (delayed == null) {
            return false;
        }
        delayed.cancel(false);
        delayed = null;
        if (waitingForReconnect != null) {
            waitingForReconnect.close();
            waitingForReconnect = null;
        }
        c.rt.delayedWills.decrementAndGet();
        return true;
    }

    /** True when this was the answer to the will's command (the session then ends). */
    boolean onCommandDone(String correlationId) {
        if (closing == null || correlationId == null || !correlationId.equals(pendingCorrelationId)) {
            return false;
        }
        log.debug("will of {} answered", c.clientId());
        finish();
        return true;
    }

    void eventLoopGone() {
        finish();
    }

    private void finish() {
        EdgeSession s = closing;
        closing = null;
        pendingCorrelationId = null;
        if (s != null) {
            s.close();
        }
    }
}
