package io.playconnect.client;

import io.playconnect.core.StreamPosition;

/**
 * A stored command: the server acknowledges a publish only once its record is stored.
 *
 * @param correlationId the command's correlation id (the one sent, or the one the server made)
 * @param seq the seq of the event the command became
 */
public record Ack(String correlationId, String room, String epoch, long seq) {
    public StreamPosition position() {
        return new StreamPosition(epoch, seq);
    }
}
