package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.engine.spi.RoomLogic;

import java.io.IOException;

/**
 * The {@code chat} room kind: append-only messages. {@code chat.message {"text":"..."}} with a
 * text of 1 to {@value #MAX_TEXT} characters (Unicode code points); other fields are allowed and
 * kept. The stored payload is the command's payload, the very same array.
 *
 * <p>The state keeps the last {@value ChatState#KEEP} messages for joiners:
 * {@code {"messages":[{"seq","user","ts","text",...}],"count":<messages ever>}}, where
 * {@code seq}, {@code user} and {@code ts} come from the event and the rest from the payload (a
 * payload's own fields of those names are left out).
 */
public final class ChatRoomLogic implements RoomLogic<ChatState> {
    public static final String KIND = "chat";
    public static final String MESSAGE = "chat.message";
    public static final int VERSION = 1;
    public static final int MAX_TEXT = 4096;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public ChatState initialState(RoomId room) {
        return new ChatState();
    }

    @Override
    public byte[] decide(ChatState state, Command command, long nowMillis) {
        if (!MESSAGE.equals(command.type())) {
            throw new SyncException(ErrorCode.UNKNOWN_TYPE, "a chat room takes " + MESSAGE + ", not " + command.type());
        }
        checkMessage(command.payload());
        return command.payload();
    }

    /** One streaming pass: an object with exactly one {@code text} string of allowed length. */
    static void checkMessage(byte[] payload) {
        try (JsonParser p = KindJson.parser(payload)) {
            KindJson.expectObject(p);
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isText = "text".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (!isText) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.VALUE_STRING || seen) {
                    throw KindJson.badPayload("text must be given once, as a string");
                }
                int chars = Character.codePointCount(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (chars < 1 || chars > MAX_TEXT) {
                    throw KindJson.badPayload("text must be 1 to " + MAX_TEXT + " characters, not " + chars);
                }
                seen = true;
            }
            KindJson.expectEnd(p);
            if (!seen) {
                throw KindJson.badPayload("text is required, e.g. {\"text\":\"hello\"}");
            }
        } catch (IOException e) {
            throw KindJson.notJson();
        }
    }

    @Override
    public void apply(ChatState state, Event event) {
        if (MESSAGE.equals(event.type())) {
            String user = event.origin() == null ? null : event.origin().user();
            state.add(new ChatState.Message(event.seq(), user, event.ts(), event.payload()));
        }
    }

    @Override
    public byte[] encodeState(ChatState state) {
        return KindJson.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            for (ChatState.Message m : state.recent) {
                writeMessage(g, m);
            }
            g.writeEndArray();
            g.writeNumberField("count", state.count);
            g.writeEndObject();
        });
    }

    private static void writeMessage(JsonGenerator g, ChatState.Message m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", m.seq());
        g.writeStringField("user", m.user());
        g.writeNumberField("ts", m.ts());
        try (JsonParser p = KindJson.parser(m.payload())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (ChatCodec.isEnvelopeField(name)) {
                    p.skipChildren();
                } else {
                    g.writeFieldName(name);
                    g.copyCurrentStructureExact(p);
                }
            }
        }
        g.writeEndObject();
    }

    @Override
    public ChatState decodeState(RoomId room, byte[] json) {
        return ChatCodec.decode(json);
    }
}
