package io.playconnect.engine.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.playconnect.engine.kinds.ChatRoomLogic.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

class ChatRoomLogicTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KindFixtures<ChatState> room = new KindFixtures<>(new ChatRoomLogic(), "chat.lobby");

    private JsonNode state() throws IOException {
        return JSON.readTree(room.encoded());
    }

    @Test
    void aMessageIsStoredAsSentAndKeptWithItsEnvelope() throws IOException {
        Command command = room.command(MESSAGE, "alice", "{\"text\":\"hi\",\"mood\":{\"emoji\":\"\\ud83d\\ude00\"}}");
        byte[] payload = room.logic.decide(room.state, command, room.now);
        assertThat(payload).isSameAs(command.payload());
        room.logic.apply(room.state, room.eventFor(command, payload, 1));

        JsonNode message = state().get("messages").get(0);
        assertThat(message.get("seq").asLong()).isEqualTo(1);
        assertThat(message.get("user").asText()).isEqualTo("alice");
        assertThat(message.get("ts").asLong()).isEqualTo(room.now + 1);
        assertThat(message.get("text").asText()).isEqualTo("hi");
        assertThat(message.get("mood").get("emoji").asText()).isEqualTo("\uD83D\uDE00");
        assertThat(state().get("count").asLong()).isEqualTo(1);
    }

    @Test
    void onlyTheLastHundredAreKeptButAllAreCounted() throws IOException {
        for (int i = 1; i <= 130; i++) {
            room.send(MESSAGE, i % 2 == 0 ? "alice" : "bob", "{\"text\":\"m" + i + "\"}");
        }
        JsonNode state = state();
        assertThat(state.get("count").asLong()).isEqualTo(130);
        assertThat(state.get("messages")).hasSize(ChatState.KEEP);
        assertThat(state.get("messages").get(0).get("text").asText()).isEqualTo("m31");
        assertThat(state.get("messages").get(99).get("seq").asLong()).isEqualTo(130);
        assertThat(room.state.count()).isEqualTo(130);
    }

    @Test
    void textLengthIsCountedInCharactersFromOneTo4096() {
        room.send(MESSAGE, "alice", "{\"text\":\"" + "x".repeat(ChatRoomLogic.MAX_TEXT) + "\"}");
        room.send(MESSAGE, "alice", "{\"text\":\"" + "\\ud83d\\ude00".repeat(ChatRoomLogic.MAX_TEXT) + "\"}");
        room.send(MESSAGE, "alice", "{\"text\":\" \"}");
        room.refuse(ErrorCode.BAD_PAYLOAD, MESSAGE, "alice", "{\"text\":\"" + "x".repeat(4097) + "\"}");
        room.refuse(ErrorCode.BAD_PAYLOAD, MESSAGE, "alice", "{\"text\":\"\"}");
        assertThat(room.state.count()).isEqualTo(3);
    }

    @Test
    void missingOrNonStringTextIsRefused() {
        for (String bad : List.of("{}", "{\"body\":\"hi\"}", "{\"text\":null}", "{\"text\":42}",
                "{\"text\":[\"hi\"]}", "{\"text\":{\"t\":\"hi\"}}", "{\"text\":\"a\",\"text\":\"b\"}")) {
            room.refuse(ErrorCode.BAD_PAYLOAD, MESSAGE, "alice", bad);
        }
    }

    @Test
    void nonObjectsAndBrokenJsonAreRefused() {
        for (String bad : List.of("[]", "\"hi\"", "42", "null", "", "{\"text\":\"hi\"", "{\"text\":\"hi\"} []",
                "{\"text\":\"hi\",\"x\":[1,}")) {
            room.refuse(ErrorCode.BAD_PAYLOAD, MESSAGE, "alice", bad);
        }
    }

    @Test
    void otherTypesAreUnknown() {
        room.refuse(ErrorCode.UNKNOWN_TYPE, "chat.edit", "alice", "{\"text\":\"hi\"}");
    }

    @Test
    void snapshotRoundTripAndReplayGiveTheSameState() throws IOException {
        room.send(MESSAGE, "alice", "{\"text\":\"one\",\"n\":1.50,\"big\":1e400}");
        room.send(MESSAGE, "bob", "{ \"seq\" : 99, \"text\" : \"two\\n\", \"user\":\"mallory\" }");
        assertThat(room.roundTripped()).isEqualTo(room.encoded());
        assertThat(room.logic.encodeState(room.replayed())).isEqualTo(room.encoded());
        JsonNode second = state().get("messages").get(1);
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(second.get("user").asText()).isEqualTo("bob");
        assertThat(room.json()).contains("\"n\":1.50");
        assertThat(state().get("messages").get(0).get("big").isNumber()).isTrue();
    }
}
