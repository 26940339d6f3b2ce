package io.playconnect.client;

/**
 * The server's answer to a join. Events continue from {@code seq + 1}; with {@code recovered}
 * false a snapshot at {@code seq} comes first (a fresh join, or a resume that could not be served
 * from the retained log).
 */
public record Joined(String room, String epoch, long seq, boolean recovered) {
}
