package io.playconnect.broker.nats;

import io.playconnect.core.RoomId;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this broker last saw of each room's log head: its epoch, last seq, and the stream sequence
 * of the subject's last message (0 when the subject is empty). The server's
 * expected-last-subject-sequence check makes a stale head harmless: an append made with it is
 * refused, and the log is looked up again. It also keeps a room's seq across a time when every
 * record expired, which the server cannot tell. Bounded: past the limit, arbitrary heads are
 * forgotten and looked up again when needed.
 */
final class RoomHeads {
    static final int LIMIT = 100_000;

    record Head(String epoch, long lastSeq, long streamSeq) {
    }

    private final ConcurrentHashMap<RoomId, Head> heads = new ConcurrentHashMap<>();

    Head get(RoomId room) {
        return heads.get(room);
    }

    /** Records an observation; of two, the one of the later stream message wins. */
    void observe(RoomId room, Head head) {
        heads.merge(room, head, (old, now) -> now.streamSeq >= old.streamSeq ? now : old);
        trim();
    }

    /** The subject was seen empty (its records expired) while the head was {@code seen}. */
    void emptied(RoomId room, Head seen) {
        heads.replace(room, seen, new Head(seen.epoch, seen.lastSeq, 0));
    }

    void forget(RoomId room) {
        heads.remove(room);
    }

    int size() {
        return heads.size();
    }

    private void trim() {
        if (heads.size() <= LIMIT) {
            return;
        }
        Iterator<RoomId> it = heads.keySet().iterator();
        for (int n = heads.size() - LIMIT + LIMIT / 10; n > 0 && it.hasNext(); n--) {
            it.next();
            it.remove();
        }
    }
}
