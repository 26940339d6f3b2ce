package io.playconnect.gateway.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * One event's complete WebSocket frame (header and {@code {"op":"event",...}} payload), built once
 * and the same bytes written to every subscriber. Server frames are unmasked, so the bytes are the
 * same for every client; they skip the per-channel frame encoder. A connection's writer appends
 * them ({@link #copyTo}) to the other frames it sends in the same flush, so one socket write carries
 * several events; a writer without that path writes a duplicate of the shared buffer.
 *
 * <p>The bytes live in a JDK direct buffer, freed by the garbage collector with the event: a
 * duplicate's release only counts down, and the buffer never returns to a pool, so no subscriber
 * can free what another is still sending.
 */
final class EventFrame {
    private static final int FIN_TEXT = 0x81;

    private final ByteBuf frame;
    private final int headerBytes;
    private final int payloadBytes;

    private EventFrame(ByteBuf frame, int headerBytes, int payloadBytes) {
        this.frame = frame;
        this.headerBytes = headerBytes;
        this.payloadBytes = payloadBytes;
    }

    /** The frame of the event whose stored envelope is {@code envelope}. */
    static EventFrame of(byte[] envelope) {
        return ofPayload(ServerFrames.event(envelope));
    }

    /** A final, unmasked text frame carrying {@code payload} (UTF-8). */
    static EventFrame ofPayload(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuffer bytes = ByteBuffer.allocateDirect(header + n);
        bytes.put((byte) FIN_TEXT);
        if (n < 126) {
            bytes.put((byte) n);
        } else if (n <= 0xFFFF) {
            bytes.put((byte) 126).putShort((short) n);
        } else {
            bytes.put((byte) 127).putLong(n);
        }
        bytes.put(payload).flip();
        return new EventFrame(Unpooled.wrappedBuffer(bytes), header, n);
    }

    /** The whole frame, for one channel: the caller's write releases it. */
    ByteBuf retainedFrame() {
        return frame.retainedDuplicate();
    }

    /** Just the payload, for one channel (a connection without the usual frame encoder). */
    ByteBuf retainedPayload() {
        return frame.retainedSlice(headerBytes, payloadBytes);
    }

    /** Appends the whole frame to {@code out}, leaving this frame (shared) untouched. */
    void copyTo(ByteBuf out) {
        out.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
    }

    int frameBytes() {
        return headerBytes + payloadBytes;
    }

    int payloadBytes() {
        return payloadBytes;
    }
}
