package io.playconnect.core.codec;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes the few JSON shapes the envelope needs. Creating a Jackson
 * generator per event was the largest single cost of encoding on the engine's hot path; string
 * escaping stays Jackson's ({@link JsonStringEncoder}), only the buffer handling is ours.
 */
final class JsonBytes {
    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
    private byte[] buf;
    private int len;

    JsonBytes(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    JsonBytes raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** Writes ASCII text that needs no escaping (field names, punctuation). */
    JsonBytes ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    JsonBytes number(long value) {
        return ascii(Long.toString(value));
    }

    /** Writes a quoted JSON string, or {@code null}. */
    JsonBytes string(String s) {
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
    JsonBytes field(String name) {
        ensure(name.length() + 3);
        buf[len++] = '"';
        ascii(name);
        buf[len++] = '"';
        buf[len++] = ':';
        return this;
    }

    byte[] toByteArray() {
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
