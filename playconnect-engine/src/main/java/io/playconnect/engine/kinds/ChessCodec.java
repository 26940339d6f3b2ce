package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.notation.NotationType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code game} state as JSON: {@code {"fen","white","black","turn","moves","status","winner"}}.
 * Decoding replays the SAN moves from the start rather than loading the FEN, because the rules of
 * repetition need the whole history; the stored FEN then checks the replay.
 */
final class ChessCodec {
    private ChessCodec() {
    }

    static byte[] encode(ChessState s) {
        return KindJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("fen", s.fen());
            g.writeStringField("white", s.white);
            g.writeStringField("black", s.black);
            g.writeStringField("turn", ChessState.color(s.sideToMove()));
            g.writeArrayFieldStart("moves");
            for (String san : s.moves) {
                g.writeString(san);
            }
            g.writeEndArray();
            g.writeStringField("status", s.status.wire());
            g.writeStringField("winner", s.winner);
            g.writeEndObject();
        });
    }

    static ChessState decode(byte[] json) {
        String fen = null;
        List<String> moves = new ArrayList<>();
        ChessState s = new ChessState(new ChessGame());
        try (JsonParser p = KindJson.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw KindJson.corrupt("game", "not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "fen" -> fen = p.getValueAsString();
                    case "white" -> s.white = p.getValueAsString();
                    case "black" -> s.black = p.getValueAsString();
                    case "status" -> s.status = ChessState.Status.fromWire(p.getValueAsString());
                    case "winner" -> s.winner = p.getValueAsString();
                    case "moves" -> readMoves(p, token, moves);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw KindJson.corrupt("game", "not JSON");
        }
        if (s.status == null) {
            throw KindJson.corrupt("game", "unknown status");
        }
        replay(s, moves, fen);
        return s;
    }

    private static void readMoves(JsonParser p, JsonToken token, List<String> moves) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw KindJson.corrupt("game", "moves is not an array");
        }
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            moves.add(p.getText());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw KindJson.corrupt("game", "moves holds a non-string");
        }
    }

    private static void replay(ChessState s, List<String> moves, String fen) {
        try {
            for (String san : moves) {
                s.game.playMove(s.game.getMove(NotationType.SAN, san));
                s.moves.add(san);
            }
        } catch (RuntimeException e) {
            throw KindJson.corrupt("game", "move " + (s.moves.size() + 1) + " does not replay");
        }
        if (fen != null && !fen.equals(s.fen())) {
            throw KindJson.corrupt("game", "moves do not lead to the stored position");
        }
    }
}
