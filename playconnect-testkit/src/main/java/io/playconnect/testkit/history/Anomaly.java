package io.playconnect.testkit.history;

/**
 * One thing wrong with a history.
 *
 * @param client the client it concerns, or null when it concerns the room as a whole
 * @param epoch the log epoch of the position, or null when there is none
 * @param seq the seq of the position, or 0 when there is none
 */
public record Anomaly(String room, String client, String correlationId, String epoch, long seq, String detail) {
    @Override
    public String toString() {
        return room + (client == null ? "" : " client " + client)
                + (correlationId == null ? "" : " correlationId " + correlationId)
                + (epoch == null ? "" : " at " + epoch + "/" + seq) + ": " + detail;
    }
}
