package io.playconnect.gateway.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** One server message as a test sees it: the frame text and its parsed form. */
record Msg(String raw, JsonNode json) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Msg parse(String raw) {
        try {
            return new Msg(raw, MAPPER.readTree(raw));
        } catch (IOException e) {
            throw new UncheckedIOException("server sent invalid JSON: " + raw, e);
        }
    }

    String op() {
        return json.path("op").asText();
    }

    JsonNode get(String field) {
        return json.path(field);
    }

    String text(String field) {
        return json.path(field).asText(null);
    }

    long number(String field) {
        return json.path(field).asLong(Long.MIN_VALUE);
    }

    boolean flag(String field) {
        return json.path(field).asBoolean();
    }

    /** The seq of an {@code event} message. */
    long eventSeq() {
        return json.path("event").path("seq").asLong(Long.MIN_VALUE);
    }

    @Override
    public String toString() {
        return raw;
    }
}
