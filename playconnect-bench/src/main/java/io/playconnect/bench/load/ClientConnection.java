package io.playconnect.bench.load;

import java.util.concurrent.CompletableFuture;

/** One open load client. */
public interface ClientConnection {

    int index();

    /**
     * Publishes a payload (a JSON object) to a room. Completes with the stream position the server
     * gave it ({@code -1} where the protocol gives none) once the server acknowledged it, or once it
     * was written where the protocol has no acknowledgement.
     */
    CompletableFuture<Long> publish(String room, byte[] payload);

    /** Drops the TCP connection at once, without a closing handshake: what a lost network looks like. */
    CompletableFuture<Void> drop();

    boolean isOpen();

    /**
     * Stops reading from the socket while staying connected: a client that stalls (a frozen tab, a
     * phone that went to sleep), which the server must treat as a slow consumer.
     */
    default void pauseReading() {
        throw new UnsupportedOperationException("this driver cannot pause reading");
    }
}
