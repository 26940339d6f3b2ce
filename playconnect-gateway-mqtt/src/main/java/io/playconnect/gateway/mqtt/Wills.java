package io.playconnect.gateway.mqtt;

import io.playconnect.edge.EdgeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a connection's will when it ends without a normal DISCONNECT. A will on a plain topic
 * goes straight to the broker; a will on a room topic is a command, so the edge session stays open
 * until the engine answered it (at most the command timeout), and only then ends the client's
 * presence.
 */
final class Wills {
    private static final Logger log = LoggerFactory.getLogger(Wills.class);

    private final MqttConnection c;
    private Will will;
    private String pendingCorrelationId;
    private EdgeSession closing;

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
            if (c.rt.plainBus != null) {
                c.rt.plainBus.publish(plain.topic(), w.qos(), session.connectionId(), w.properties(), w.payload());
                if (w.retain() && c.rt.retained != null) {
                    c.rt.retained.retain(plain.topic(), w.qos(), w.properties(), w.payload());
                }
            }
            session.close();
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
