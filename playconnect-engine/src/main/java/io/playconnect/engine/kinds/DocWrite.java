package io.playconnect.engine.kinds;

import java.util.Arrays;

/**
 * One {@code doc.set} or {@code doc.delete} as a register: a path, a stamp and a value (null for a
 * delete, which then stands as a tombstone).
 *
 * <p>Writes are totally ordered, so every replica picks the same winner: by hybrid logical clock
 * {@code (t, c)}, then by client id, and for the degenerate case of one client reusing a clock
 * value, a delete beats a set and then the greater value bytes win. Only writes that are equal in
 * every respect compare equal, and those are the same write.
 */
final class DocWrite implements Comparable<DocWrite> {
    final String[] path;
    final long t;
    final long c;
    final String client;
    final byte[] value;

    DocWrite(String[] path, long t, long c, String client, byte[] value) {
        this.path = path;
        this.t = t;
        this.c = c;
        this.client = client;
        this.value = value;
    }

    boolean isDelete() {
        return value == null;
    }

    @Override
    public int compareTo(DocWrite o) {
        int cmp = Long.compare(t, o.t);
        if (cmp == 0) {
            cmp = Long.compare(c, o.c);
        }
        if (cmp == 0) {
            cmp = client.compareTo(o.client);
        }
        if (cmp == 0 && isDelete() != o.isDelete()) {
            cmp = isDelete() ? 1 : -1;
        }
        if (cmp == 0 && !isDelete()) {
            cmp = Arrays.compareUnsigned(value, o.value);
        }
        return cmp;
    }
}
