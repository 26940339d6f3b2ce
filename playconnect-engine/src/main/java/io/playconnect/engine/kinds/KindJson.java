package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON plumbing the room kinds share: one factory, streaming helpers, typed payload errors. */
final class KindJson {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private KindJson() {
    }

    /** Writes JSON into a fresh byte array; the writer cannot fail on an in-memory buffer. */
    interface Writer {
        void write(JsonGenerator gen) throws IOException;
    }

    static byte[] write(Writer writer) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
            try (JsonGenerator gen = FACTORY.createGenerator(out)) {
                writer.write(gen);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonParser parser(byte[] json) throws IOException {
        return FACTORY.createParser(json);
    }

    static SyncException badPayload(String reason) {
        return new SyncException(ErrorCode.BAD_PAYLOAD, reason);
    }

    /** Turns a syntax error into the client's typed error without leaking parser internals. */
    static SyncException notJson() {
        return badPayload("payload is not valid JSON");
    }

    /** Opens a payload that must be one JSON object; the parser is left on START_OBJECT. */
    static void expectObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw badPayload("payload must be a JSON object");
        }
    }

    /** After the object's END_OBJECT: nothing may follow it. */
    static void expectEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw badPayload("payload must be a single JSON object");
        }
    }

    /** A corrupt snapshot is the engine's problem, not the client's: report it as internal. */
    static SyncException corrupt(String kind, String reason) {
        return new SyncException(ErrorCode.INTERNAL, "corrupt " + kind + " state: " + reason);
    }

    /** Client text for an error message: short, printable ASCII only. */
    static String quote(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
