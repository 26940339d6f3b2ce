package io.playconnect.examples.chessbot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.playconnect.core.codec.EnvelopeCodec;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the bot needs to know of a game: the board (FEN), who sits where, whether it goes on. Read
 * from a room snapshot ({@code {"fen","white","black","status",...}}) or from a stored
 * {@code game.move} event's payload ({@code {"fen","color","player","status",...}}), as docs/rooms.md
 * describes them.
 *
 * @param white the user playing white, or null while the seat is free
 * @param black the user playing black, or null while the seat is free
 * @param status {@code active}, {@code checkmate}, {@code stalemate}, {@code draw} or {@code resigned}
 */
record Position(String fen, String white, String black, String status) {
    static final String START = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";

    boolean active() {
        return "active".equals(status);
    }

    /** Whose turn it is: {@code w} or {@code b}. */
    char sideToMove() {
        int space = fen.indexOf(' ');
        return space > 0 && space + 1 < fen.length() ? fen.charAt(space + 1) : 'w';
    }

    /** The room's state from a snapshot. */
    static Position fromState(byte[] state) {
        String[] f = read(state, "fen", "white", "black", "status");
        return new Position(f[0] != null ? f[0] : START, f[1], f[2], f[3] != null ? f[3] : "active");
    }

    /** The position after a stored move (or resignation), given the one before it. */
    Position after(byte[] eventPayload) {
        String[] f = read(eventPayload, "fen", "color", "player", "status");
        String w = "white".equals(f[1]) && f[2] != null ? f[2] : white;
        String b = "black".equals(f[1]) && f[2] != null ? f[2] : black;
        return new Position(f[0] != null ? f[0] : fen, w, b, f[3] != null ? f[3] : status);
    }

    /** The string values of the named top-level fields (null when absent or not a string). */
    private static String[] read(byte[] json, String... names) {
        String[] values = new String[names.length];
        try (JsonParser p = EnvelopeCodec.jsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return values;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(name) && value == JsonToken.VALUE_STRING) {
                        values[i] = p.getText();
                    }
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
        }
        return values;
    }
}
