package io.playconnect.gateway.mqtt;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.edge.EdgeError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JSON payloads the gateway makes itself: errors on the error topic, and room snapshots. */
final class JsonOut {
    private JsonOut() {
    }

    /** {@code {"code","message","correlationId","retry"}} plus {@code room} when the error names one. */
    static byte[] error(EdgeError e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + e.message().length());
        try (JsonGenerator g = EnvelopeCodec.jsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("code", e.code().wireName());
            g.writeStringField("message", e.message());
            if (e.correlationId() != null) {
                g.writeStringField("correlationId", e.correlationId());
            } else {
                g.writeNullField("correlationId");
            }
            g.writeBooleanField("retry", e.retry());
            if (e.room() != null) {
                g.writeStringField("room", e.room().value());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** {@code {"room","epoch","seq","state"}}, the state as stored (raw JSON). */
    static byte[] snapshot(RoomSnapshot s) {
        return snapshot(s, false);
    }

    /**
     * The snapshot, with {@code "recovered":false} after {@code "seq"} when it stands in for events
     * a resumed session could not get back (past the log's retention, or a new epoch).
     */
    static byte[] snapshot(RoomSnapshot s, boolean notRecovered) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + s.state().length);
        try (JsonGenerator g = EnvelopeCodec.jsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("room", s.room().value());
            g.writeStringField("epoch", s.epoch());
            g.writeNumberField("seq", s.seq());
            if (notRecovered) {
                g.writeBooleanField("recovered", false);
            }
            g.writeFieldName("state");
            g.writeRawValue(new String(s.state(), StandardCharsets.UTF_8));
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
