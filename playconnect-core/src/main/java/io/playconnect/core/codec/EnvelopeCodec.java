package io.playconnect.core.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.SyncException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes envelope v1 ({@link Event}), {@link Command} (between gateway and engine) and
 * {@link CommandResult}. Thread-safe. Payload bytes are written verbatim as the last field.
 */
public final class EnvelopeCodec {
    private static final JsonFactory JSON = JsonFactory.builder()
            // The payload is appended after the generator is flushed; closing must add nothing.
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    private static final EnvelopeCodec INSTANCE = new EnvelopeCodec();

    public static EnvelopeCodec instance() {
        return INSTANCE;
    }

    public static JsonFactory jsonFactory() {
        return JSON;
    }

    // ---------------------------------------------------------------- events

    public byte[] encodeEvent(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192 + e.payload().length);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("v", Event.VERSION);
            g.writeStringField("id", e.id());
            g.writeStringField("type", e.type());
            g.writeStringField("room", e.room().value());
            g.writeNumberField("seq", e.seq());
            g.writeStringField("epoch", e.epoch());
            g.writeNumberField("ts", e.ts());
            writeNullable(g, "correlationId", e.correlationId());
            writeNullable(g, "traceparent", e.traceparent());
            writeOrigin(g, e.origin());
            g.writeFieldName("payload");
            g.writeRaw(':');
            g.flush();
            // The payload goes in as the bytes it arrived as: no tree, no re-serialisation.
            writePayloadAndClose(out, e.payload());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void writePayloadAndClose(ByteArrayOutputStream out, byte[] payload) {
        // writeFieldName followed by flush leaves `"payload"`; the ':' was written raw above.
        out.write(payload, 0, payload.length);
        out.write('}');
    }

    public Event decodeEvent(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p, JsonToken.START_OBJECT);
            String id = null, type = null, room = null, epoch = null, corr = null, trace = null;
            long seq = -1, ts = 0;
            Origin origin = null;
            byte[] payload = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsString();
                    case "type" -> type = p.getValueAsString();
                    case "room" -> room = p.getValueAsString();
                    case "seq" -> seq = p.getValueAsLong(-1);
                    case "epoch" -> epoch = p.getValueAsString();
                    case "ts" -> ts = p.getValueAsLong();
                    case "correlationId" -> corr = p.getValueAsString();
                    case "traceparent" -> trace = p.getValueAsString();
                    case "origin" -> origin = readOrigin(p);
                    case "payload" -> payload = RawJson.slice(p, bytes, 0);
                    default -> p.skipChildren();
                }
            }
            if (id == null || type == null || room == null || epoch == null || seq < 1 || payload == null) {
                throw new SyncException(ErrorCode.BAD_REQUEST, "event lacks a required field");
            }
            return new Event(id, type, RoomId.parse(room), seq, epoch, ts, corr, trace, origin, payload);
        } catch (IOException ex) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "malformed event: " + describe(ex));
        }
    }

    // ---------------------------------------------------------------- commands

    public byte[] encodeCommand(Command c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + c.payload().length);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("room", c.room().value());
            g.writeStringField("type", c.type());
            g.writeStringField("correlationId", c.correlationId());
            writeNullable(g, "traceparent", c.traceparent());
            writeOrigin(g, c.origin());
            g.writeFieldName("payload");
            g.writeRaw(':');
            g.flush();
            writePayloadAndClose(out, c.payload());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public Command decodeCommand(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p, JsonToken.START_OBJECT);
            String room = null, type = null, corr = null, trace = null;
            Origin origin = null;
            byte[] payload = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "room" -> room = p.getValueAsString();
                    case "type" -> type = p.getValueAsString();
                    case "correlationId" -> corr = p.getValueAsString();
                    case "traceparent" -> trace = p.getValueAsString();
                    case "origin" -> origin = readOrigin(p);
                    case "payload" -> payload = RawJson.slice(p, bytes, 0);
                    default -> p.skipChildren();
                }
            }
            if (room == null || type == null || corr == null || origin == null || payload == null) {
                throw new SyncException(ErrorCode.BAD_REQUEST, "command lacks a required field");
            }
            return new Command(RoomId.parse(room), type, payload, corr, origin, trace);
        } catch (IOException ex) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "malformed command: " + describe(ex));
        }
    }

    // ---------------------------------------------------------------- results

    public byte[] encodeResult(CommandResult r) {
        if (r instanceof CommandResult.Accepted a && isPlainToken(a.epoch())) {
            // Every accepted command answers with this; skipping the generator is worth it.
            return ("{\"ok\":true,\"epoch\":\"" + a.epoch() + "\",\"seq\":" + a.seq() + '}')
                    .getBytes(StandardCharsets.US_ASCII);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (r instanceof CommandResult.Accepted a) {
                g.writeBooleanField("ok", true);
                g.writeStringField("epoch", a.epoch());
                g.writeNumberField("seq", a.seq());
            } else {
                CommandResult.Rejected j = (CommandResult.Rejected) r;
                g.writeBooleanField("ok", false);
                g.writeStringField("code", j.code().wireName());
                g.writeStringField("message", j.message());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public CommandResult decodeResult(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p, JsonToken.START_OBJECT);
            boolean ok = false;
            String epoch = null, code = null, message = "";
            long seq = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "ok" -> ok = p.getValueAsBoolean();
                    case "epoch" -> epoch = p.getValueAsString();
                    case "seq" -> seq = p.getValueAsLong();
                    case "code" -> code = p.getValueAsString();
                    case "message" -> message = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            if (ok) {
                return new CommandResult.Accepted(epoch, seq);
            }
            ErrorCode ec = ErrorCode.fromWireName(code);
            return new CommandResult.Rejected(ec == null ? ErrorCode.INTERNAL : ec, message);
        } catch (IOException ex) {
            throw new SyncException(ErrorCode.INTERNAL, "malformed command result: " + describe(ex));
        }
    }

    // ---------------------------------------------------------------- snapshots

    /** Encodes a room snapshot; the state goes in verbatim as the last field. */
    public byte[] encodeSnapshot(RoomSnapshot s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + s.state().length);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("room", s.room().value());
            g.writeStringField("epoch", s.epoch());
            g.writeNumberField("seq", s.seq());
            g.writeFieldName("state");
            g.writeRaw(':');
            g.flush();
            writePayloadAndClose(out, s.state());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public RoomSnapshot decodeSnapshot(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p, JsonToken.START_OBJECT);
            String room = null, epoch = null;
            long seq = -1;
            byte[] state = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "room" -> room = p.getValueAsString();
                    case "epoch" -> epoch = p.getValueAsString();
                    case "seq" -> seq = p.getValueAsLong(-1);
                    case "state" -> state = RawJson.slice(p, bytes, 0);
                    default -> p.skipChildren();
                }
            }
            if (room == null || epoch == null || seq < 0 || state == null) {
                throw new SyncException(ErrorCode.INTERNAL, "snapshot lacks a required field");
            }
            return new RoomSnapshot(RoomId.parse(room), epoch, seq, state);
        } catch (IOException ex) {
            throw new SyncException(ErrorCode.INTERNAL, "malformed snapshot: " + describe(ex));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** True for strings that need no JSON escaping: letters, digits, '-' and '_'. */
    private static boolean isPlainToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The parser's own message without the source excerpt, which may echo hostile bytes. */
    static String describe(IOException ex) {
        if (ex instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        return String.valueOf(ex.getMessage());
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
        if (p.nextToken() != token) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "expected a JSON object");
        }
    }

    private static void writeNullable(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    private static void writeOrigin(JsonGenerator g, Origin origin) throws IOException {
        if (origin == null) {
            g.writeNullField("origin");
            return;
        }
        g.writeObjectFieldStart("origin");
        g.writeStringField("protocol", origin.protocol());
        g.writeStringField("user", origin.user());
        g.writeEndObject();
    }

    private static Origin readOrigin(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String protocol = null, user = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("protocol".equals(field)) {
                protocol = p.getValueAsString();
            } else if ("user".equals(field)) {
                user = p.getValueAsString();
            } else {
                p.skipChildren();
            }
        }
        return protocol == null || user == null ? null : new Origin(protocol, user);
    }
}
