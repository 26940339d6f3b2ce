package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.codec.RawJson;

import java.io.IOException;

/**
 * Reads {@code doc.set {"path","value","hlc":{"t","c"}}} and {@code doc.delete {"path","hlc"}}
 * in one streaming pass. Other fields are ignored (a later client may send more); each known
 * field must appear once.
 */
final class DocPayloads {
    private DocPayloads() {
    }

    static DocWrite read(byte[] payload, boolean set, String client) {
        try (JsonParser p = KindJson.parser(payload)) {
            KindJson.expectObject(p);
            String path = null;
            byte[] value = null;
            long[] hlc = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "path" -> path = readPath(p, token, path);
                    case "value" -> value = readValue(p, payload, set, value);
                    case "hlc" -> hlc = readHlc(p, token, hlc);
                    default -> p.skipChildren();
                }
            }
            KindJson.expectEnd(p);
            if (path == null) {
                throw KindJson.badPayload("path is required, e.g. \"/a/b\"");
            }
            if (hlc == null) {
                throw KindJson.badPayload("hlc is required: {\"t\":<millis>,\"c\":<counter>}");
            }
            if (set && value == null) {
                throw KindJson.badPayload("value is required (any JSON, null included)");
            }
            return new DocWrite(DocPath.parse(path), hlc[0], hlc[1], client, set ? value : null);
        } catch (IOException e) {
            throw KindJson.notJson();
        }
    }

    private static String readPath(JsonParser p, JsonToken token, String seen) throws IOException {
        if (token != JsonToken.VALUE_STRING || seen != null) {
            throw KindJson.badPayload("path must be given once, as a string");
        }
        return p.getText();
    }

    private static byte[] readValue(JsonParser p, byte[] payload, boolean set, byte[] seen) throws IOException {
        if (seen != null) {
            throw KindJson.badPayload("value must be given once");
        }
        if (!set) {
            p.skipChildren();
            return null;
        }
        return RawJson.slice(p, payload, 0);
    }

    private static long[] readHlc(JsonParser p, JsonToken token, long[] seen) throws IOException {
        if (token != JsonToken.START_OBJECT || seen != null) {
            throw KindJson.badPayload("hlc must be given once, as {\"t\":<millis>,\"c\":<counter>}");
        }
        long t = -1;
        long c = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "t" -> t = readCounter(p, "hlc.t", t);
                case "c" -> c = readCounter(p, "hlc.c", c);
                default -> p.skipChildren();
            }
        }
        if (t < 0 || c < 0) {
            throw KindJson.badPayload("hlc needs both t and c");
        }
        return new long[] {t, c};
    }

    private static long readCounter(JsonParser p, String field, long seen) throws IOException {
        if (seen >= 0 || p.currentToken() != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
            throw KindJson.badPayload(field + " must be given once, as a non-negative integer");
        }
        return p.getLongValue();
    }
}
