package io.playconnect.core.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;

/** Slices a JSON value out of the bytes a parser reads, checking it is well-formed on the way. */
public final class RawJson {
    private RawJson() {
    }

    /**
     * With the parser on the first token of a value, skips the value and returns its exact bytes.
     * The parser must read from {@code source} starting at offset {@code base}.
     */
    public static byte[] slice(JsonParser parser, byte[] source, int base) throws IOException {
        JsonToken token = parser.currentToken();
        long start = parser.currentTokenLocation().getByteOffset();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
        } else {
            parser.finishToken();
        }
        JsonLocation end = parser.currentLocation();
        long endOffset = end.getByteOffset();
        if (start < 0 || endOffset < start) {
            throw new IOException("cannot locate value bytes");
        }
        return Arrays.copyOfRange(source, base + (int) start, base + (int) endOffset);
    }
}
