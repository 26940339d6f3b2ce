package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** Reads back the {@code chat} state that {@link ChatRoomLogic#encodeState} wrote. */
final class ChatCodec {
    private ChatCodec() {
    }

    /** Fields of a kept message that come from the event, not from the client. */
    static boolean isEnvelopeField(String name) {
        return name.equals("seq") || name.equals("user") || name.equals("ts");
    }

    static ChatState decode(byte[] json) {
        ChatState state = new ChatState();
        long count = 0;
        try (JsonParser p = KindJson.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw KindJson.corrupt("chat", "not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                if ("count".equals(name)) {
                    count = p.getLongValue();
                } else if ("messages".equals(name) && token == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        state.add(readMessage(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw KindJson.corrupt("chat", "not JSON");
        }
        state.count = count;
        return state;
    }

    private static ChatState.Message readMessage(JsonParser p) throws IOException {
        long[] seqAndTs = new long[2];
        String[] user = {null};
        byte[] payload = KindJson.write(g -> {
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "seq" -> seqAndTs[0] = p.getLongValue();
                    case "ts" -> seqAndTs[1] = p.getLongValue();
                    case "user" -> user[0] = p.getValueAsString();
                    default -> {
                        g.writeFieldName(name);
                        g.copyCurrentStructureExact(p);
                    }
                }
            }
            g.writeEndObject();
        });
        return new ChatState.Message(seqAndTs[0], user[0], seqAndTs[1], payload);
    }
}
