package io.playconnect.gateway.websocket;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.Member;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.auth.Principal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the server messages of the wire contract as the UTF-8 bytes of one text frame. Raw JSON
 * the server did not make (event envelopes, room state) is copied in as bytes, never re-serialised.
 */
final class ServerFrames {
    /** The factory closes nothing on its own, so raw bytes can follow a flushed generator. */
    private static final JsonFactory JSON = EnvelopeCodec.jsonFactory();
    private static final byte[] EVENT_HEAD = "{\"op\":\"event\",\"event\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PONG = "{\"op\":\"pong\"}".getBytes(StandardCharsets.US_ASCII);

    private ServerFrames() {
    }

    /** {@code {"op":"event","event":<envelope>}}: built once per event and shared by every subscriber. */
    static byte[] event(byte[] envelope) {
        byte[] frame = new byte[EVENT_HEAD.length + envelope.length + 1];
        System.arraycopy(EVENT_HEAD, 0, frame, 0, EVENT_HEAD.length);
        System.arraycopy(envelope, 0, frame, EVENT_HEAD.length, envelope.length);
        frame[frame.length - 1] = '}';
        return frame;
    }

    static byte[] joined(RoomId room, String epoch, long seq, boolean recovered) {
        return write(64, g -> {
            op(g, "joined");
            g.writeStringField("room", room.value());
            g.writeStringField("epoch", epoch);
            g.writeNumberField("seq", seq);
            g.writeBooleanField("recovered", recovered);
        }, null);
    }

    static byte[] snapshot(RoomSnapshot s) {
        return write(96 + s.state().length, g -> {
            op(g, "snapshot");
            g.writeStringField("room", s.room().value());
            g.writeStringField("epoch", s.epoch());
            g.writeNumberField("seq", s.seq());
            g.writeFieldName("state");
        }, s.state());
    }

    static byte[] ack(String correlationId, RoomId room, String epoch, long seq) {
        return write(96, g -> {
            op(g, "ack");
            g.writeStringField("correlationId", correlationId);
            g.writeNumberField("seq", seq);
            g.writeStringField("room", room.value());
            g.writeStringField("epoch", epoch);
        }, null);
    }

    static byte[] error(EdgeError e) {
        return write(96, g -> {
            op(g, "error");
            g.writeStringField("code", e.code().wireName());
            g.writeStringField("message", e.message());
            if (e.correlationId() != null) {
                g.writeStringField("correlationId", e.correlationId());
            }
            if (e.room() != null) {
                g.writeStringField("room", e.room().value());
            }
            g.writeBooleanField("retry", e.retry());
        }, null);
    }

    static byte[] presence(RoomId room, PresenceUpdate update) {
        return write(128, g -> {
            op(g, "presence");
            g.writeStringField("room", room.value());
            if (update instanceof PresenceUpdate.Members m) {
                g.writeArrayFieldStart("members");
                for (Member member : m.members()) {
                    member(g, member);
                }
                g.writeEndArray();
            } else if (update instanceof PresenceUpdate.Joined j) {
                g.writeFieldName("joined");
                member(g, j.member());
            } else if (update instanceof PresenceUpdate.Left l) {
                g.writeFieldName("left");
                member(g, l.member());
            }
        }, null);
    }

    /** An extension of the contract: tells a client which token now holds and until when. */
    static byte[] authenticated(Principal principal) {
        return write(64, g -> {
            op(g, "authenticated");
            g.writeStringField("user", principal.user());
            g.writeNumberField("expiresAt", principal.expiresAt().toEpochMilli());
        }, null);
    }

    private static void member(JsonGenerator g, Member m) throws IOException {
        g.writeStartObject();
        g.writeStringField("user", m.user());
        g.writeStringField("protocol", m.protocol());
        g.writeStringField("connectionId", m.connectionId());
        g.writeEndObject();
    }

    private static void op(JsonGenerator g, String op) throws IOException {
        g.writeStartObject();
        g.writeStringField("op", op);
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Writes the fields and closes the object; with {@code rawValue}, the last field written by
     * {@code fields} is a name whose value is those bytes verbatim.
     */
    private static byte[] write(int sizeHint, Fields fields, byte[] rawValue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            fields.write(g);
            if (rawValue == null) {
                g.writeEndObject();
            } else {
                g.writeRaw(':');
                g.flush();
                out.write(rawValue);
                out.write('}');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
