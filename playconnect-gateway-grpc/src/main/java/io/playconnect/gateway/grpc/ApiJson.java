package io.playconnect.gateway.grpc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.SyncException;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.Member;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON of the HTTP API, read and written with Jackson's streaming API. A command's
 * {@code payload} is cut out of the request body as the exact bytes sent, never parsed into a tree
 * and written again: the same bytes reach every subscriber, as on every protocol.
 */
final class ApiJson {
    /** One command of a publish request or of a batch. {@code room} is unparsed: a bad one fails only its item. */
    record Command(String room, String type, byte[] payload, String correlationId, String traceparent) {
    }

    private ApiJson() {
    }

    /** {@code {"room","type","payload","correlationId"?,"traceparent"?}}; throws BAD_REQUEST. */
    static Command command(byte[] body) {
        try (JsonParser p = EnvelopeCodec.jsonFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("the body must be a JSON object");
            }
            Command c = readCommand(p, body);
            if (p.nextToken() != null) {
                throw bad("the body holds more than one JSON value");
            }
            return c;
        } catch (IOException e) {
            throw bad("the body is not valid JSON");
        }
    }

    /** {@code {"commands":[command, ...]}}; throws BAD_REQUEST. */
    static List<Command> batch(byte[] body, int maxCommands) {
        try (JsonParser p = EnvelopeCodec.jsonFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("the body must be a JSON object");
            }
            List<Command> commands = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("commands")) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw bad("commands must be an array");
                }
                commands = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    if (commands.size() == maxCommands) {
                        throw bad("at most " + maxCommands + " commands per batch");
                    }
                    commands.add(readCommand(p, body));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw bad("every element of commands must be an object");
                }
            }
            if (commands == null || commands.isEmpty()) {
                throw bad("commands must hold at least one command");
            }
            return commands;
        } catch (IOException e) {
            throw bad("the body is not valid JSON");
        }
    }

    /** Reads one command object; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    private static Command readCommand(JsonParser p, byte[] body) throws IOException {
        String room = null;
        String type = null;
        String correlationId = null;
        String traceparent = null;
        byte[] payload = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "room" -> room = string(p, value, field);
                case "type" -> type = string(p, value, field);
                case "correlationId" -> correlationId = value == JsonToken.VALUE_NULL ? null : string(p, value, field);
                case "traceparent" -> traceparent = value == JsonToken.VALUE_NULL ? null : string(p, value, field);
                case "payload" -> {
                    int from = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    // Jackson reads a string's characters lazily: finish it so the location is past it.
                    p.finishToken();
                    int to = (int) p.currentLocation().getByteOffset();
                    payload = Arrays.copyOfRange(body, from, to);
                }
                default -> p.skipChildren();
            }
        }
        if (room == null) {
            throw bad("room is required");
        }
        if (type == null) {
            throw bad("type is required");
        }
        if (payload == null) {
            throw new SyncException(ErrorCode.BAD_PAYLOAD, "payload is required");
        }
        return new Command(room, type, payload, correlationId, traceparent);
    }

    private static String string(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw bad(field + " must be a string");
        }
        return p.getText();
    }

    private static SyncException bad(String message) {
        return new SyncException(ErrorCode.BAD_REQUEST, message);
    }

    // ---------------------------------------------------------------------------- answers

    static byte[] ack(ServiceSession.Ack ack) {
        return write(g -> ackFields(g, ack), null);
    }

    private static void ackFields(JsonGenerator g, ServiceSession.Ack ack) throws IOException {
        g.writeStringField("correlationId", ack.correlationId());
        g.writeStringField("room", ack.room().value());
        g.writeStringField("epoch", ack.epoch());
        g.writeNumberField("seq", ack.seq());
    }

    /** One result of a batch: an ack or an error, with the item's index. */
    record Result(int index, ServiceSession.Ack ack, ErrorCode code, String message, String correlationId) {
    }

    static byte[] batch(List<Result> results) {
        return write(g -> {
            g.writeArrayFieldStart("results");
            for (Result r : results) {
                g.writeStartObject();
                g.writeNumberField("index", r.index());
                g.writeBooleanField("ok", r.ack() != null);
                if (r.ack() != null) {
                    ackFields(g, r.ack());
                } else {
                    if (r.correlationId() != null) {
                        g.writeStringField("correlationId", r.correlationId());
                    }
                    g.writeObjectFieldStart("error");
                    errorFields(g, r.code(), r.message());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }, null);
    }

    static byte[] snapshot(RoomSnapshot s) {
        return write(g -> {
            g.writeStringField("room", s.room().value());
            g.writeStringField("epoch", s.epoch());
            g.writeNumberField("seq", s.seq());
            g.writeFieldName("state");
        }, s.state());
    }

    static byte[] presence(String room, List<Member> members) {
        return write(g -> {
            g.writeStringField("room", room);
            g.writeArrayFieldStart("members");
            for (Member m : members) {
                g.writeStartObject();
                g.writeStringField("user", m.user());
                g.writeStringField("connectionId", m.connectionId());
                g.writeStringField("protocol", m.protocol());
                g.writeNumberField("joinedAt", m.joinedAt());
                g.writeEndObject();
            }
            g.writeEndArray();
        }, null);
    }

    static byte[] error(ErrorCode code, String message, String correlationId) {
        return write(g -> {
            errorFields(g, code, message);
            if (correlationId != null) {
                g.writeStringField("correlationId", correlationId);
            }
        }, null);
    }

    private static void errorFields(JsonGenerator g, ErrorCode code, String message) throws IOException {
        g.writeStringField("code", code.wireName());
        g.writeStringField("message", message);
        g.writeBooleanField("retry", code.retryable());
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** An object of the fields; with {@code rawValue}, the last field name written gets those bytes as its value. */
    private static byte[] write(Fields fields, byte[] rawValue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + (rawValue == null ? 0 : rawValue.length));
        try (JsonGenerator g = EnvelopeCodec.jsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
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
