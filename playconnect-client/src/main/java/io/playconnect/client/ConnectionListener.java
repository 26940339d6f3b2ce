package io.playconnect.client;

import io.playconnect.core.Event;
import io.playconnect.core.RoomSnapshot;

import java.time.Instant;

/**
 * What a {@link Connection} hears from the server. Every method has a no-op default; they are
 * called one at a time, in the order the server sent, on a gRPC thread: do not block in them.
 */
public interface ConnectionListener {

    /** The token was accepted (at connect, and after each refresh). */
    default void onAuthenticated(String user, Instant expiresAt) {
    }

    /** A join was answered; a snapshot follows when {@code recovered} is false. */
    default void onJoined(Joined joined) {
    }

    /** The room's state as of its seq; events continue from seq + 1. */
    default void onSnapshot(RoomSnapshot snapshot) {
    }

    /** A stored event of a joined room: per room, seqs are contiguous and each arrives once. */
    default void onEvent(Event event) {
    }

    default void onPresence(PresenceChange change) {
    }

    /**
     * An error that answers none of this connection's publishes (those fail their futures): a
     * refused join, a bad room, rate limiting.
     */
    default void onError(PlayConnectException error) {
    }

    /**
     * The stream ended. With {@code reconnecting} the connection opens a new stream after a backoff
     * and joins its rooms again from the last positions it saw (exactly the missed events, or a
     * snapshot); otherwise the connection is closed for good.
     *
     * @param cause why, or null when {@link Connection#close()} ended it
     */
    default void onDisconnected(PlayConnectException cause, boolean reconnecting) {
    }
}
