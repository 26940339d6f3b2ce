package io.playconnect.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The room's last N accepted commands by (principal, correlationId), each with the fingerprint of
 * its type and payload and the seq it was stored at. A retry of one of them gets the original ack;
 * the same key with another fingerprint is a conflict. Rejected commands are never entered.
 * Single-threaded: owned by the room's partition.
 */
final class DedupWindow {
    /** One remembered command. */
    record Entry(String user, String correlationId, long fingerprint, long seq) {
    }

    /** The lookup key: two fields compared as they are, no concatenated copy per command. */
    private record Key(String user, String correlationId) {
    }

    private final int capacity;
    private final LinkedHashMap<Key, Entry> entries;

    DedupWindow(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, DedupWindow.Entry> eldest) {
                return size() > DedupWindow.this.capacity;
            }
        };
    }

    Entry get(String user, String correlationId) {
        return entries.get(new Key(user, correlationId));
    }

    void put(String user, String correlationId, long fingerprint, long seq) {
        entries.put(new Key(user, correlationId), new Entry(user, correlationId, fingerprint, seq));
    }

    int size() {
        return entries.size();
    }

    /** Visits the entries oldest first, for snapshots, without copying them. */
    void forEach(Consumer<Entry> visitor) {
        for (Entry e : entries.values()) {
            visitor.accept(e);
        }
    }

    /**
     * 64-bit FNV-1a over the type and payload: enough to tell a changed retry from a faithful one,
     * not a security boundary (the key already includes the authenticated principal).
     */
    static long fingerprint(String type, byte[] payload) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < type.length(); i++) {
            h = (h ^ type.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (byte b : payload) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
