package io.playconnect.bench.load;

/**
 * What a driver reports about a client. Called on I/O threads: keep it short and never block.
 * Every method does nothing by default.
 */
public interface ClientListener {

    /**
     * A delivered message: the room, its position in the room's stream (the server's seq, or the
     * publisher's own counter where the protocol has none) and the sender's {@link System#nanoTime()}
     * carried in the payload ({@code -1} when the payload had none).
     */
    default void onMessage(int client, String room, long seq, long sentNanos) {
    }

    /** The server said where a room's stream stands after a subscribe (PlayConnect's {@code joined}). */
    default void onJoined(int client, String room, String epoch, long seq, boolean recovered) {
    }

    /** The server reported an error that answers no publish. */
    default void onError(int client, String code, String message) {
    }

    /** The connection is gone; {@code code} is the WebSocket close code, or -1 without a close frame. */
    default void onClosed(int client, int code, String reason) {
    }
}
