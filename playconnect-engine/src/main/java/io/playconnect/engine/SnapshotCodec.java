package io.playconnect.engine;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.codec.RawJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a room snapshot: format version, kind and logic version, epoch, seq, the log
 * position it covers, the engine clock (HLC) of the room, the de-duplication window, and the
 * logic's state JSON verbatim as the last field.
 */
final class SnapshotCodec {
    static final int FORMAT = 1;

    /** A decoded snapshot. */
    record Stored(int format, String kind, int logicVersion, String room, String epoch, long seq,
                  long hlc, List<DedupWindow.Entry> window, byte[] state) {
    }

    private SnapshotCodec() {
    }

    static byte[] encode(RoomRuntime rt, byte[] state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + state.length);
        try (JsonGenerator g = EnvelopeCodec.jsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("kind", rt.logic.kind());
            g.writeNumberField("logicVersion", rt.logic.version());
            g.writeStringField("room", rt.room.value());
            g.writeStringField("epoch", rt.epoch);
            g.writeNumberField("seq", rt.committedSeq);
            g.writeNumberField("logSeq", rt.committedSeq);
            g.writeNumberField("hlc", rt.lastTs);
            g.writeArrayFieldStart("dedup");
            for (DedupWindow.Entry e : rt.window.entries()) {
                g.writeStartArray();
                g.writeString(e.user());
                g.writeString(e.correlationId());
                g.writeString(Long.toHexString(e.fingerprint()));
                g.writeNumber(e.seq());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeFieldName("state");
            g.writeRaw(':');
            g.flush();
            out.write(state, 0, state.length);
            out.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Stored decode(byte[] bytes) {
        try (JsonParser p = EnvelopeCodec.jsonFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("snapshot is not an object");
            }
            int format = 0, version = 0;
            String kind = null, room = null, epoch = null;
            long seq = -1, hlc = 0;
            List<DedupWindow.Entry> window = new ArrayList<>();
            byte[] state = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format" -> format = p.getIntValue();
                    case "kind" -> kind = p.getText();
                    case "logicVersion" -> version = p.getIntValue();
                    case "room" -> room = p.getText();
                    case "epoch" -> epoch = p.getText();
                    case "seq" -> seq = p.getLongValue();
                    case "hlc" -> hlc = p.getLongValue();
                    case "dedup" -> readWindow(p, window);
                    case "state" -> state = RawJson.slice(p, bytes, 0);
                    default -> p.skipChildren();
                }
            }
            if (epoch == null || seq < 0 || state == null) {
                throw new IOException("snapshot lacks epoch, seq or state");
            }
            return new Stored(format, kind, version, room, epoch, seq, hlc, window, state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readWindow(JsonParser p, List<DedupWindow.Entry> window) throws IOException {
        while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            String user = p.getText();
            p.nextToken();
            String corr = p.getText();
            p.nextToken();
            long fp = Long.parseUnsignedLong(p.getText(), 16);
            p.nextToken();
            long seq = p.getLongValue();
            p.nextToken();
            window.add(new DedupWindow.Entry(user, corr, fp, seq));
        }
    }
}
