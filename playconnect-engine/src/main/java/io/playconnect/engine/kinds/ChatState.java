package io.playconnect.engine.kinds;

import java.util.ArrayDeque;

/**
 * The state of one {@code chat} room: the last {@value #KEEP} messages, as stored (payload bytes
 * untouched), and how many were ever sent. Touched only by the room's partition thread.
 */
public final class ChatState {
    public static final int KEEP = 100;

    /** One kept message: the engine's seq, sender and time, and the client's payload as stored. */
    record Message(long seq, String user, long ts, byte[] payload) {
    }

    final ArrayDeque<Message> recent = new ArrayDeque<>(KEEP);
    long count;

    ChatState() {
    }

    /** Messages ever sent in the room, including those no longer kept. */
    public long count() {
        return count;
    }

    /** Messages kept for joiners, at most {@value #KEEP}. */
    public int kept() {
        return recent.size();
    }

    void add(Message message) {
        if (recent.size() == KEEP) {
            recent.removeFirst();
        }
        recent.addLast(message);
        count++;
    }
}
