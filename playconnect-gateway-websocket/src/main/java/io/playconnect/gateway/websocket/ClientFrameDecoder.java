package io.playconnect.gateway.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;
import io.playconnect.core.SyncException;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.codec.RawJson;

import java.io.IOException;

/**
 * Turns the bytes of one text frame into a {@link ClientFrame} in a single streaming pass: the
 * fields may come in any order, unknown fields are skipped (clients may be newer than the server),
 * and a publish payload is sliced out of the frame as the exact bytes the client sent. Every
 * failure is a {@link BadFrameException} with the code the client gets.
 */
final class ClientFrameDecoder {
    private static final JsonFactory JSON = EnvelopeCodec.jsonFactory();
    private static final int MAX_ECHO = 40;

    private ClientFrameDecoder() {
    }

    static ClientFrame decode(byte[] frame) {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("a frame must be a JSON object", null);
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                readField(p, name, frame, f);
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw bad("trailing data after the frame object", f.correlationId);
            }
        } catch (JsonProcessingException e) {
            throw bad("malformed JSON: " + shorten(e.getOriginalMessage()), f.correlationId);
        } catch (IOException e) {
            throw bad("unreadable frame", f.correlationId);
        }
        return f.toFrame();
    }

    private static void readField(JsonParser p, String name, byte[] frame, Fields f) throws IOException {
        switch (name) {
            case "op" -> f.op = string(p, name, f);
            case "token" -> f.token = string(p, name, f);
            case "room" -> f.room = string(p, name, f);
            case "epoch" -> f.epoch = string(p, name, f);
            case "type" -> f.type = string(p, name, f);
            case "correlationId" -> f.correlationId = string(p, name, f);
            case "traceparent" -> f.traceparent = string(p, name, f);
            case "since" -> f.since = since(p, f);
            case "payload" -> f.payload = RawJson.slice(p, frame, 0);
            default -> p.skipChildren();
        }
    }

    private static String string(JsonParser p, String name, Fields f) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw bad(name + " must be a string", f.correlationId);
        }
        return p.getText();
    }

    private static Long since(JsonParser p, Fields f) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0) {
            throw bad("since must be a non-negative integer", f.correlationId);
        }
        return p.getLongValue();
    }

    private static BadFrameException bad(String message, String correlationId) {
        return new BadFrameException(ErrorCode.BAD_REQUEST, message, correlationId);
    }

    /** Keeps error messages short and printable: they echo client input. */
    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("[^\\x20-\\x7e]", "?");
        return oneLine.length() > 100 ? oneLine.substring(0, 100) + "..." : oneLine;
    }

    /** The fields of any op, filled in whatever order they arrive. */
    private static final class Fields {
        String op;
        String token;
        String room;
        String epoch;
        Long since;
        String type;
        byte[] payload;
        String correlationId;
        String traceparent;

        ClientFrame toFrame() {
            if (op == null) {
                throw bad("op is required", correlationId);
            }
            return switch (op) {
                case "auth" -> new ClientFrame.Auth(required(token, "auth needs a token"));
                case "join" -> new ClientFrame.Join(room(), position());
                case "leave" -> new ClientFrame.Leave(room());
                case "presence" -> new ClientFrame.Presence(room());
                case "ping" -> new ClientFrame.Ping();
                case "publish" -> publish();
                default -> throw new BadFrameException(ErrorCode.UNKNOWN_OP,
                        "unknown op: " + shorten(op.length() > MAX_ECHO ? op.substring(0, MAX_ECHO) : op),
                        correlationId);
            };
        }

        private ClientFrame publish() {
            RoomId r = room();
            required(type, "publish needs a type");
            if (payload == null) {
                throw bad("publish needs a payload", correlationId);
            }
            return new ClientFrame.Publish(r, type, payload, correlationId, traceparent);
        }

        private RoomId room() {
            try {
                return RoomId.parse(room);
            } catch (SyncException e) {
                throw new BadFrameException(e.code(), e.getMessage(), correlationId);
            }
        }

        private StreamPosition position() {
            if (since == null && epoch == null) {
                return null;
            }
            if (since == null || epoch == null) {
                throw bad("resuming needs both since and epoch", correlationId);
            }
            return new StreamPosition(epoch, since);
        }

        private String required(String value, String message) {
            if (value == null || value.isEmpty()) {
                throw bad(message, correlationId);
            }
            return value;
        }
    }
}
