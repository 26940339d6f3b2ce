package io.playconnect.edge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.core.codec.EnvelopeCodec;

import java.io.IOException;

/**
 * Checks that a payload is exactly one JSON value before it reaches the engine: the envelope embeds
 * payload bytes verbatim, so one malformed payload would break the stream of every subscriber.
 */
final class JsonCheck {
    private JsonCheck() {
    }

    static void requireSingleValue(byte[] payload) {
        try (JsonParser p = EnvelopeCodec.jsonFactory().createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SyncException(ErrorCode.BAD_PAYLOAD, "payload is empty");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new SyncException(ErrorCode.BAD_PAYLOAD, "payload holds more than one JSON value");
            }
        } catch (IOException e) {
            throw new SyncException(ErrorCode.BAD_PAYLOAD, "payload is not valid JSON");
        }
    }
}
