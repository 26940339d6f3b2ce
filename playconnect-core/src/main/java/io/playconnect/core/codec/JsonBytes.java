package io.playconnect.core.codec;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes the few JSON shapes the envelope and the engine's snapshots
 * need. Creating a Jackson generator per event was the largest single cost of encoding on the
 * engine's hot path; string escaping stays Jackson's ({@link JsonStringEncoder}), only the buffer
 * handling is ours. Not thread-safe; one instance per message.
 */
public final class JsonBytes {
    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
    private byte[] buf;
    private int len;

    public JsonBytes(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    public JsonBytes raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** Writes ASCII text that needs no escaping (field names, punctuation). */
    public JsonBytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    public JsonBytes number(long value) {
        if (value < 0) {
            // Long.MIN_VALUE has no positive counterpart; negatives are rare here.
            return ascii(Long.toString(value));
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        int end = len + digits;
        long v = value;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        len = end;
        return this;
    }

    /** Writes {@code value} as a quoted, unsigned, lower-case hexadecimal string. */
    public JsonBytes hexString(long value) {
        int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(value)) / 4);
        ensure(digits + 2);
        buf[len++] = '"';
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            buf[len++] = (byte) Character.forDigit((int) (value >>> shift) & 0xf, 16);
        }
        buf[len++] = '"';
        return this;
    }

    /** Writes a quoted JSON string, or {@code null}. */
    public JsonBytes string(String s) {
        if (s == null) {
            return ascii("null");
        }
        if (isPlain(s)) {
            ensure(s.length() + 2);
            buf[len++] = '"';
            ascii(s);
            buf[len++] = '"';
            return this;
        }
        byte[] escaped = ESCAPER.quoteAsUTF8(s);
        ensure(escaped.length + 2);
        buf[len++] = '"';
        raw(escaped);
        buf[len++] = '"';
        return this;
    }

    /** {@code "name":} */
    public JsonBytes field(String name) {
        ensure(name.length() + 3);
        buf[len++] = '"';
        ascii(name);
        buf[len++] = '"';
        buf[len++] = ':';
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
