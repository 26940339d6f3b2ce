package io.playconnect.engine.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static io.playconnect.engine.kinds.ChessRoomLogic.MOVE;
import static io.playconnect.engine.kinds.ChessRoomLogic.RESIGN;
import static org.assertj.core.api.Assertions.assertThat;

class ChessRoomLogicTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KindFixtures<ChessState> room = new KindFixtures<>(new ChessRoomLogic(), "game.42");

    private static JsonNode tree(byte[] json) throws IOException {
        return JSON.readTree(json);
    }

    private Event move(String user, String move) {
        return room.send(MOVE, user, "{\"move\":\"" + move + "\"}");
    }

    private void play(String... sans) {
        for (int i = 0; i < sans.length; i++) {
            move(i % 2 == 0 ? "alice" : "bob", sans[i]);
        }
    }

    @Test
    void scholarsMateEndsInCheckmateWonByWhite() throws IOException {
        play("e4", "e5", "Bc4", "Nc6", "Qh5", "Nf6");
        Event last = move("alice", "Qxf7");

        JsonNode payload = tree(last.payload());
        assertThat(payload.get("move").asText()).isEqualTo("Qxf7");
        assertThat(payload.get("san").asText()).isEqualTo("Qxf7#");
        assertThat(payload.get("uci").asText()).isEqualTo("h5f7");
        assertThat(payload.get("color").asText()).isEqualTo("white");
        assertThat(payload.get("player").asText()).isEqualTo("alice");
        assertThat(payload.get("ply").asInt()).isEqualTo(7);
        assertThat(payload.get("status").asText()).isEqualTo("checkmate");
        assertThat(payload.get("winner").asText()).isEqualTo("white");
        assertThat(payload.get("fen").asText()).startsWith("r1bqkb1r/pppp1Qpp/2n2n2/4p3/2B1P3/8/PPPP1PPP/RNB1K1NR b");

        JsonNode state = tree(room.encoded());
        assertThat(state.get("white").asText()).isEqualTo("alice");
        assertThat(state.get("black").asText()).isEqualTo("bob");
        assertThat(state.get("turn").asText()).isEqualTo("black");
        assertThat(state.get("status").asText()).isEqualTo("checkmate");
        assertThat(state.get("winner").asText()).isEqualTo("white");
        assertThat(state.get("fen").asText()).isEqualTo(payload.get("fen").asText());
        assertThat(JSON.convertValue(state.get("moves"), List.class))
                .containsExactly("e4", "e5", "Bc4", "Nc6", "Qh5", "Nf6", "Qxf7#");
        assertThat(room.state.status()).isEqualTo(ChessState.Status.CHECKMATE);
    }

    @Test
    void firstMoveIsActiveWithNoWinnerAndSeatsWhite() throws IOException {
        JsonNode payload = tree(move("alice", "e4").payload());
        assertThat(payload.get("status").asText()).isEqualTo("active");
        assertThat(payload.get("winner").isNull()).isTrue();
        assertThat(payload.get("ply").asInt()).isEqualTo(1);
        JsonNode state = tree(room.encoded());
        assertThat(state.get("white").asText()).isEqualTo("alice");
        assertThat(state.get("black").isNull()).isTrue();
        assertThat(state.get("turn").asText()).isEqualTo("black");
    }

    @Test
    void sanAndUciBothWorkIncludingPromotion() throws IOException {
        move("alice", "e2e4");
        move("bob", "d5");
        move("alice", "exd5");
        move("bob", "c7c6");
        move("alice", "dxc6");
        move("bob", "g8f6");
        move("alice", "cxb7");
        move("bob", "Nbd7");
        JsonNode promotion = tree(move("alice", "b7a8q").payload());
        assertThat(promotion.get("san").asText()).isEqualTo("bxa8=Q");
        assertThat(promotion.get("uci").asText()).isEqualTo("b7a8q");
        JsonNode sanPromotion = tree(move("bob", "e6").payload());
        assertThat(sanPromotion.get("uci").asText()).isEqualTo("e7e6");
        assertThat(room.state.moves()).containsExactly("e4", "d5", "exd5", "c6", "dxc6", "Nf6", "cxb7", "Nbd7",
                "bxa8=Q", "e6");
    }

    @Test
    void illegalAndUnreadableMovesAreRefusedWithoutChange() {
        move("alice", "e4");
        room.refuse(ErrorCode.ILLEGAL_MOVE, MOVE, "bob", "{\"move\":\"e4\"}");
        room.refuse(ErrorCode.ILLEGAL_MOVE, MOVE, "bob", "{\"move\":\"e7e4\"}");
        room.refuse(ErrorCode.ILLEGAL_MOVE, MOVE, "bob", "{\"move\":\"zz9\"}");
        room.refuse(ErrorCode.ILLEGAL_MOVE, MOVE, "bob", "{\"move\":\"\"}");
        room.refuse(ErrorCode.ILLEGAL_MOVE, MOVE, "bob", "{\"move\":\"Qxf7+ and then some more\"}");
        assertThat(room.refuse(ErrorCode.ILLEGAL_MOVE, MOVE, "bob", "{\"move\":\"Ke7e8\"}").getMessage())
                .contains("Ke7e8");
        move("bob", "e5");
        assertThat(room.state.moves()).containsExactly("e4", "e5");
    }

    @Test
    void movesOutOfTurnAreRefusedIncludingWhiteMovingTwice() {
        move("alice", "e4");
        room.refuse(ErrorCode.NOT_YOUR_TURN, MOVE, "alice", "{\"move\":\"d4\"}");
        move("bob", "e5");
        room.refuse(ErrorCode.NOT_YOUR_TURN, MOVE, "bob", "{\"move\":\"d5\"}");
        move("alice", "d4");
        room.refuse(ErrorCode.NOT_YOUR_TURN, MOVE, "alice", "{\"move\":\"Nf3\"}");
        assertThat(room.state.white()).isEqualTo("alice");
        assertThat(room.state.black()).isEqualTo("bob");
    }

    @Test
    void aThirdUserIsASpectator() {
        play("e4", "e5");
        room.refuse(ErrorCode.SPECTATOR, MOVE, "carol", "{\"move\":\"Nf3\"}");
        move("alice", "Nf3");
        room.refuse(ErrorCode.SPECTATOR, MOVE, "carol", "{\"move\":\"Nc6\"}");
        room.refuse(ErrorCode.SPECTATOR, RESIGN, "carol", "{}");
    }

    @Test
    void nothingIsAcceptedAfterCheckmate() {
        play("f3", "e5", "g4", "Qh4");
        assertThat(room.state.status()).isEqualTo(ChessState.Status.CHECKMATE);
        assertThat(room.state.winner()).isEqualTo("black");
        room.refuse(ErrorCode.GAME_OVER, MOVE, "alice", "{\"move\":\"e4\"}");
        room.refuse(ErrorCode.GAME_OVER, MOVE, "carol", "{\"move\":\"e4\"}");
        room.refuse(ErrorCode.GAME_OVER, RESIGN, "alice", "{}");
    }

    @Test
    void stalemateIsADrawWithoutWinner() throws IOException {
        play("e3", "a5", "Qh5", "Ra6", "Qxa5", "h5", "h4", "Rah6", "Qxc7", "f6", "Qxd7+", "Kf7", "Qxb7", "Qd3",
                "Qxb8", "Qh7", "Qxc8", "Kg6");
        JsonNode last = tree(move("alice", "Qe6").payload());
        assertThat(last.get("status").asText()).isEqualTo("stalemate");
        assertThat(last.get("winner").isNull()).isTrue();
        room.refuse(ErrorCode.GAME_OVER, MOVE, "bob", "{\"move\":\"Kh5\"}");
    }

    @Test
    void threefoldRepetitionIsADrawEvenAcrossASnapshot() throws IOException {
        play("Nf3", "Nf6", "Ng1", "Ng8");
        room.state = room.logic.decodeState(room.room, room.encoded());
        move("alice", "Nf3");
        move("bob", "Nf6");
        move("alice", "Ng1");
        JsonNode last = tree(move("bob", "Ng8").payload());
        assertThat(last.get("status").asText()).isEqualTo("draw");
        assertThat(last.get("winner").isNull()).isTrue();
        room.refuse(ErrorCode.GAME_OVER, MOVE, "alice", "{\"move\":\"e4\"}");
    }

    @Test
    void resigningEndsTheGameForTheOtherColour() throws IOException {
        play("e4", "e5");
        JsonNode payload = tree(room.send(RESIGN, "bob", "{}").payload());
        assertThat(payload.get("color").asText()).isEqualTo("black");
        assertThat(payload.get("status").asText()).isEqualTo("resigned");
        assertThat(payload.get("winner").asText()).isEqualTo("white");
        assertThat(room.state.status()).isEqualTo(ChessState.Status.RESIGNED);
        room.refuse(ErrorCode.GAME_OVER, MOVE, "alice", "{\"move\":\"Nf3\"}");
        assertThat(tree(room.roundTripped()).get("winner").asText()).isEqualTo("white");
    }

    @Test
    void nobodyCanResignBeforeTakingASeat() {
        room.refuse(ErrorCode.SPECTATOR, RESIGN, "alice", "{}");
    }

    @Test
    void malformedPayloadsAndUnknownTypesAreRefused() {
        move("alice", "e4");
        for (String bad : List.of("[]", "\"e5\"", "42", "{}", "{\"move\":5}", "{\"move\":null}",
                "{\"move\":[\"e5\"]}", "{\"move\":\"e5\",\"move\":\"d5\"}", "{\"move\":\"e5\"", "not json",
                "{\"move\":\"e5\"} {}", "")) {
            room.refuse(ErrorCode.BAD_PAYLOAD, MOVE, "bob", bad);
        }
        room.refuse(ErrorCode.BAD_PAYLOAD, RESIGN, "bob", "[]");
        room.refuse(ErrorCode.UNKNOWN_TYPE, "game.castle", "bob", "{\"move\":\"e5\"}");
        move("bob", "e5");
    }

    @Test
    void extraFieldsInAMoveAreIgnored() {
        room.send(MOVE, "alice", "{\"clock\":{\"ms\":300},\"move\":\"e4\",\"note\":[1,2]}");
        assertThat(room.state.moves()).containsExactly("e4");
    }

    @Test
    void replayingStoredEventsRebuildsTheSameState() {
        play("e4", "e5", "Nf3", "Nc6", "Bb5", "a6", "Ba4", "Nf6", "O-O", "Be7");
        room.send(RESIGN, "alice", "{}");
        ChessState fresh = room.replayed();
        assertThat(room.logic.encodeState(fresh)).isEqualTo(room.encoded());
    }

    @Test
    void snapshotRoundTripReencodesIdenticallyAndPlaysOn() {
        play("d4", "d5", "c4", "dxc4", "e4");
        assertThat(room.roundTripped()).isEqualTo(room.encoded());
        room.state = room.logic.decodeState(room.room, room.encoded());
        move("bob", "b5");
        room.refuse(ErrorCode.NOT_YOUR_TURN, MOVE, "bob", "{\"move\":\"a6\"}");
        assertThat(room.state.moves()).containsExactly("d4", "d5", "c4", "dxc4", "e4", "b5");
    }

    @Test
    void aDecisionThatIsNeverAppliedDoesNotLeakIntoTheNextMove() {
        play("e4", "e5");
        Command lost = room.command(MOVE, "alice", "{\"move\":\"Qh5\"}");
        room.logic.decide(room.state, lost, room.now);
        move("alice", "Nf3");
        move("bob", "Nc6");
        assertThat(room.state.moves()).containsExactly("e4", "e5", "Nf3", "Nc6");
        assertThat(room.logic.encodeState(room.replayed())).isEqualTo(room.encoded());
    }

    @Test
    void applyOfACopiedPayloadTakesTheSameFastPathResult() {
        Command command = room.command(MOVE, "alice", "{\"move\":\"e4\"}");
        byte[] payload = room.logic.decide(room.state, command, room.now);
        Event event = room.eventFor(command, Arrays.copyOf(payload, payload.length), 1);
        room.logic.apply(room.state, event);
        room.stored.add(event);
        assertThat(room.state.moves()).containsExactly("e4");
        assertThat(room.logic.encodeState(room.replayed())).isEqualTo(room.encoded());
    }

    @Test
    void corruptSnapshotsAreReportedAsInternal() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> room.logic.decodeState(room.room,
                        KindFixtures.utf8("{\"moves\":[\"e4\",\"e4\"],\"status\":\"active\"}")))
                .isInstanceOfSatisfying(io.playconnect.core.SyncException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    }
}
