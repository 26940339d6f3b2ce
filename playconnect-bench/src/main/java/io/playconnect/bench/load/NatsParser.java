package io.playconnect.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Reads the NATS client protocol as it arrives from the server, in pieces of any size (a
 * WebSocket message may end in the middle of a line or a payload). Only what the load client
 * needs: {@code INFO}, {@code MSG}, {@code PING}, {@code PONG}, {@code +OK}, {@code -ERR}.
 * One parser per connection, used from one thread.
 */
final class NatsParser {
    /** A control line longer than this is a protocol error, not something to buffer forever. */
    private static final int MAX_LINE = 64 * 1024;

    /** What the parser found. The payload is only valid during the call. */
    interface Handler {
        void onInfo(String json);

        void onMsg(String subject, int sid, ByteBuf payload);

        void onPing();

        void onPong();

        void onError(String message);
    }

    private final Handler handler;
    private final ByteBuf pending = Unpooled.buffer(256);

    NatsParser(Handler handler) {
        this.handler = handler;
    }

    /** Parses what {@code chunk} completes; keeps an unfinished tail for the next call. */
    void feed(ByteBuf chunk) {
        pending.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        while (parseOne()) {
            // each round consumed one complete operation
        }
        pending.discardReadBytes();
        if (pending.readableBytes() > MAX_LINE + 1_048_576) {
            handler.onError("client: unparsable input of " + pending.readableBytes() + " bytes");
            pending.clear();
        }
    }

    private boolean parseOne() {
        int start = pending.readerIndex();
        int eol = indexOfCrLf(start);
        if (eol < 0) {
            return false;
        }
        String line = pending.toString(start, eol - start, StandardCharsets.US_ASCII);
        if (line.startsWith("MSG ")) {
            return parseMsg(line, eol + 2);
        }
        pending.readerIndex(eol + 2);
        if (line.startsWith("PING")) {
            handler.onPing();
        } else if (line.startsWith("PONG")) {
            handler.onPong();
        } else if (line.startsWith("INFO ")) {
            handler.onInfo(line.substring(5));
        } else if (line.startsWith("-ERR")) {
            handler.onError(line.substring(4).trim());
        }
        return true;
    }

    /** {@code MSG <subject> <sid> [reply-to] <#bytes>\r\n<payload>\r\n}; false until all of it is here. */
    private boolean parseMsg(String line, int payloadStart) {
        String[] parts = line.split(" ");
        if (parts.length < 4 || parts.length > 5) {
            handler.onError("client: bad MSG line: " + line);
            pending.readerIndex(payloadStart);
            return true;
        }
        int size = Integer.parseInt(parts[parts.length - 1]);
        if (pending.writerIndex() < payloadStart + size + 2) {
            return false;
        }
        handler.onMsg(parts[1], Integer.parseInt(parts[2]), pending.slice(payloadStart, size));
        pending.readerIndex(payloadStart + size + 2);
        return true;
    }

    private int indexOfCrLf(int from) {
        int to = Math.min(pending.writerIndex(), from + MAX_LINE) - 1;
        for (int i = from; i < to; i++) {
            if (pending.getByte(i) == '\r' && pending.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
