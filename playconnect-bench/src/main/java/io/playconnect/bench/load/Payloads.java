package io.playconnect.bench.load;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The published payload: a JSON object of a fixed size that carries the sender's
 * {@link System#nanoTime()} (comparable across processes on one Linux machine: it is
 * CLOCK_MONOTONIC) and the publisher's message number, padded with a chat {@code text}:
 * {@code {"t":123,"n":7,"text":"xxxx"}}. It is a valid {@code chat.message}.
 */
final class Payloads {
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] N = "\"n\":".getBytes(StandardCharsets.US_ASCII);
    /** Smallest payload that still holds both numbers at their widest and one text character. */
    static final int MIN_SIZE = 64;

    private Payloads() {
    }

    /** A payload of exactly {@code size} bytes. */
    static byte[] make(long number, long sentNanos, int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("payload size must be >= " + MIN_SIZE + ": " + size);
        }
        String head = "{\"t\":" + sentNanos + ",\"n\":" + number + ",\"text\":\"";
        int pad = size - head.length() - 2;
        if (pad < 1) {
            throw new IllegalArgumentException("payload size " + size + " cannot hold " + head);
        }
        StringBuilder sb = new StringBuilder(size).append(head);
        for (int i = 0; i < pad; i++) {
            sb.append('x');
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The send time in {@code [from, to)} of {@code buf}, or -1 when there is none. */
    static long sentNanos(ByteBuf buf, int from, int to) {
        return numberAfter(buf, from, to, T);
    }

    /** The message number in {@code [from, to)} of {@code buf}, or -1 when there is none. */
    static long number(ByteBuf buf, int from, int to) {
        return numberAfter(buf, from, to, N);
    }

    static long numberAfter(ByteBuf buf, int from, int to, byte[] key) {
        int at = Bytes.indexOf(buf, from, to, key);
        return at < 0 ? -1 : Bytes.parseLong(buf, at + key.length, to);
    }
}
