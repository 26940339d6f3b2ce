package io.playconnect.engine.kinds;

import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.board.Side;
import io.github.wolfraam.chessgame.move.Move;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The state of one {@code game} room: the position, who plays which colour, the moves so far and
 * the outcome. Touched only by the room's partition thread.
 *
 * <p>Besides the game itself it keeps a <em>shadow</em>: a second game object in the same
 * position. {@code decide} plays the proposed move on the shadow to learn the outcome without
 * touching the real game; when the stored event comes back to {@code apply}, the shadow becomes
 * the game and the old game catches up by one unchecked move, which is cheaper than copying a
 * game per command.
 */
public final class ChessState {

    /** How the game stands; the wire form is the lower-case name. */
    public enum Status {
        ACTIVE, CHECKMATE, STALEMATE, DRAW, RESIGNED;

        private final String wire = name().toLowerCase(Locale.ROOT);

        public String wire() {
            return wire;
        }

        static Status fromWire(String wire) {
            for (Status status : values()) {
                if (status.wire.equals(wire)) {
                    return status;
                }
            }
            return null;
        }
    }

    /** What decide worked out for the event it returned, so apply of that event redoes nothing. */
    record Pending(byte[] payload, int ply, String uci, Move move, ChessGame after, String san,
                   Side side, String player, Status status, String winner) {
    }

    ChessGame game;
    private ChessGame shadow;
    String white;
    String black;
    final List<String> moves = new ArrayList<>();
    Status status = Status.ACTIVE;
    String winner;
    Pending pending;

    ChessState(ChessGame game) {
        this.game = game;
    }

    /** The position in Forsyth-Edwards notation. */
    public String fen() {
        return game.getFen();
    }

    public String white() {
        return white;
    }

    public String black() {
        return black;
    }

    public Status status() {
        return status;
    }

    /** {@code "white"}, {@code "black"} or null. */
    public String winner() {
        return winner;
    }

    /** The moves so far in SAN, oldest first. */
    public List<String> moves() {
        return Collections.unmodifiableList(moves);
    }

    public int ply() {
        return moves.size();
    }

    Side sideToMove() {
        return game.getSideToMove();
    }

    /**
     * A game in the current position that decide may play on. The caller owns it afterwards: it
     * either comes back through {@link #advance} or is dropped, and the next call copies afresh.
     */
    ChessGame takeShadow() {
        ChessGame taken = shadow != null ? shadow : game.clone();
        shadow = null;
        return taken;
    }

    /** Moves the game on by a move decide already checked and played on {@code after}. */
    void advance(ChessGame after, Move move) {
        ChessGame old = game;
        game = after;
        old.playMove(move);
        shadow = old;
    }

    /** Moves the game on by a stored move without checking it (replay). */
    void replay(Move move) {
        game.playMove(move);
        shadow = null;
    }

    static String color(Side side) {
        return side == Side.WHITE ? "white" : "black";
    }
}
