package io.playconnect.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * Searches in received bytes without decoding them: the clients see hundreds of thousands of
 * frames a second on the same cores as the server, so they read only the few fields they need.
 */
final class Bytes {
    private Bytes() {
    }

    /** The index of the first {@code needle} in {@code [from, to)}, or -1. */
    static int indexOf(ByteBuf buf, int from, int to, byte[] needle) {
        int last = to - needle.length;
        byte first = needle[0];
        for (int i = from; i <= last; i++) {
            if (buf.getByte(i) != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && buf.getByte(i + j) == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    /** The non-negative decimal number starting at {@code at}, or -1 when there is no digit there. */
    static long parseLong(ByteBuf buf, int at, int to) {
        long value = 0;
        int i = at;
        while (i < to) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            i++;
        }
        return i == at ? -1 : value;
    }

    /** Whether {@code [at, at + expected.length)} of {@code buf} equals {@code expected}. */
    static boolean regionEquals(ByteBuf buf, int at, int to, byte[] expected) {
        if (at + expected.length > to) {
            return false;
        }
        for (int j = 0; j < expected.length; j++) {
            if (buf.getByte(at + j) != expected[j]) {
                return false;
            }
        }
        return true;
    }
}
