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
        JsonBytes j = new JsonBytes(224 + e.payload().length);
        j.ascii("{\"v\":1,").field("id").string(e.id())
                .ascii(",").field("type").string(e.type())
                .ascii(",").field("room").string(e.room().value())
                .ascii(",").field("seq").number(e.seq())
                .ascii(",").field("epoch").string(e.epoch())
                .ascii(",").field("ts").number(e.ts())
                .ascii(",").field("correlationId").string(e.correlationId())
                .ascii(",").field("traceparent").string(e.traceparent())
                .ascii(",").field("origin");
        origin(j, e.origin());
        // The payload goes in as the bytes it arrived as: no tree, no re-serialisation.
        return j.ascii(",").field("payload").raw(e.payload()).ascii("}").toByteArray();
    }

    private static void origin(JsonBytes j, Origin origin) {
        if (origin == null) {
            j.ascii("null");
        } else {
            j.ascii("{").field("protocol").string(origin.protocol()).ascii(",").field("user").string(origin.user()).ascii("}");
        }
    }


    public Event decodeEvent(byte[] bytes) {
        Fields f = readFields(bytes, "event");
        if (f.id == null || f.type == null || f.room == null || f.epoch == null || f.seq < 1 || f.payload == null) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "event lacks a required field");
        }
        return new Event(f.id, f.type, RoomId.parse(f.room), f.seq, f.epoch, f.ts, f.corr, f.trace, f.origin, f.payload);
    }

    // ---------------------------------------------------------------- commands

    public byte[] encodeCommand(Command c) {
        JsonBytes j = new JsonBytes(160 + c.payload().length);
        j.ascii("{").field("room").string(c.room().value())
                .ascii(",").field("type").string(c.type())
                .ascii(",").field("correlationId").string(c.correlationId())
                .ascii(",").field("traceparent").string(c.traceparent())
                .ascii(",").field("origin");
        origin(j, c.origin());
        return j.ascii(",").field("payload").raw(c.payload()).ascii("}").toByteArray();
    }

    public Command decodeCommand(byte[] bytes) {
        Fields f = readFields(bytes, "command");
        if (f.room == null || f.type == null || f.corr == null || f.origin == null || f.payload == null) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "command lacks a required field");
        }
        return new Command(RoomId.parse(f.room), f.type, f.payload, f.corr, f.origin, f.trace);
    }

    // ---------------------------------------------------------------- results

    public byte[] encodeResult(CommandResult r) {
        if (r instanceof CommandResult.Accepted a) {
            // Every accepted command answers with this, on the partition's one thread.
            return new JsonBytes(64).ascii("{\"ok\":true,").field("epoch").string(a.epoch())
                    .ascii(",").field("seq").number(a.seq()).ascii("}").toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            CommandResult.Rejected j = (CommandResult.Rejected) r;
            g.writeStartObject();
            g.writeBooleanField("ok", false);
            g.writeStringField("code", j.code().wireName());
            g.writeStringField("message", j.message());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public CommandResult decodeResult(byte[] bytes) {
        CommandResult fast = decodeAcceptedFast(bytes);
        if (fast != null) {
            return fast;
        }
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

    private static final byte[] ACCEPTED_PREFIX = "{\"ok\":true,\"epoch\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_INFIX = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * Reads exactly the shape {@link #encodeResult} writes for an accepted command with a plain
     * epoch, or returns null so the general parser handles anything else.
     */
    private static CommandResult decodeAcceptedFast(byte[] b) {
        int p = ACCEPTED_PREFIX.length;
        if (b.length < p + SEQ_INFIX.length + 2 || !startsWith(b, ACCEPTED_PREFIX, 0) || b[b.length - 1] != '}') {
            return null;
        }
        int q = p;
        while (q < b.length && b[q] != '"') {
            byte c = b[q];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return null;
            }
            q++;
        }
        if (!startsWith(b, SEQ_INFIX, q)) {
            return null;
        }
        long seq = 0;
        int digitsFrom = q + SEQ_INFIX.length;
        int end = b.length - 1;
        if (end - digitsFrom < 1 || end - digitsFrom > 18) {
            return null;
        }
        for (int i = digitsFrom; i < end; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return null;
            }
            seq = seq * 10 + (b[i] - '0');
        }
        return new CommandResult.Accepted(new String(b, p, q - p, StandardCharsets.US_ASCII), seq);
    }

    private static boolean startsWith(byte[] b, byte[] prefix, int at) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- snapshots

    /** Encodes a room snapshot; the state goes in verbatim as the last field. */
    public byte[] encodeSnapshot(RoomSnapshot s) {
        return new JsonBytes(96 + s.state().length)
                .ascii("{").field("room").string(s.room().value())
                .ascii(",").field("epoch").string(s.epoch())
                .ascii(",").field("seq").number(s.seq())
                .ascii(",").field("state").raw(s.state()).ascii("}").toByteArray();
    }

    public RoomSnapshot decodeSnapshot(byte[] bytes) {
        Fields f;
        try {
            f = readFields(bytes, "snapshot");
        } catch (SyncException e) {
            throw new SyncException(ErrorCode.INTERNAL, e.getMessage());
        }
        if (f.room == null || f.epoch == null || f.seq < 0 || f.state == null) {
            throw new SyncException(ErrorCode.INTERNAL, "snapshot lacks a required field");
        }
        return new RoomSnapshot(RoomId.parse(f.room), f.epoch, f.seq, f.state);
    }

    /** Every field any of the envelope's shapes has; each decoder checks the ones it needs. */
    private static final class Fields {
        String id;
        String type;
        String room;
        String epoch;
        String corr;
        String trace;
        long seq = -1;
        long ts;
        Origin origin;
        byte[] payload;
        byte[] state;
    }

    private static Fields readFields(byte[] bytes, String what) {
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p, JsonToken.START_OBJECT);
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id" -> f.id = p.getValueAsString();
                    case "type" -> f.type = p.getValueAsString();
                    case "room" -> f.room = p.getValueAsString();
                    case "seq" -> f.seq = p.getValueAsLong(-1);
                    case "epoch" -> f.epoch = p.getValueAsString();
                    case "ts" -> f.ts = p.getValueAsLong();
                    case "correlationId" -> f.corr = p.getValueAsString();
                    case "traceparent" -> f.trace = p.getValueAsString();
                    case "origin" -> f.origin = readOrigin(p);
                    case "payload" -> f.payload = RawJson.slice(p, bytes, 0);
                    case "state" -> f.state = RawJson.slice(p, bytes, 0);
                    default -> p.skipChildren();
                }
            }
            return f;
        } catch (IOException ex) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "malformed " + what + ": " + describe(ex));
        }
    }

    // ---------------------------------------------------------------- helpers

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
