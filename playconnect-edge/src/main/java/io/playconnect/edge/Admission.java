package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.edge.limits.AdmissionControl;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The edge's answer to a new connection: accepted (then {@link Edge#openSession} it, or
 * {@link #release()} it) or refused with a code and a reason the gateway reports in its own way.
 */
public final class Admission {
    private final Edge edge;
    private final String protocol;
    private final InetSocketAddress remote;
    private final AdmissionControl.Slot slot;
    private final ErrorCode code;
    private final String reason;
    private final AtomicBoolean used = new AtomicBoolean();

    Admission(Edge edge, String protocol, InetSocketAddress remote, AdmissionControl.Slot slot,
              ErrorCode code, String reason) {
        this.edge = edge;
        this.protocol = protocol;
        this.remote = remote;
        this.slot = slot;
        this.code = code;
        this.reason = reason;
    }

    public boolean accepted() {
        return code == null;
    }

    /** {@link ErrorCode#OVERLOADED} or {@link ErrorCode#RATE_LIMITED} when refused, else null. */
    public ErrorCode code() {
        return code;
    }

    /** Why it was refused, or null. */
    public String reason() {
        return reason;
    }

    /** The close a gateway that accepted the transport before asking should use. */
    public CloseReason closeReason() {
        return accepted() ? null : new CloseReason(CloseReason.Kind.OVERLOADED, reason);
    }

    public String protocol() {
        return protocol;
    }

    /** The client's address, or null when unknown. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Gives the connection slot back without opening a session. Idempotent. */
    public void release() {
        if (slot != null) {
            slot.release();
        }
    }

    boolean belongsTo(Edge candidate) {
        return edge == candidate;
    }

    /** Marks the admission used by a session; false if it already was. */
    boolean claim() {
        return used.compareAndSet(false, true);
    }
}
