package io.playconnect.examples.chessbot;

import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.board.Piece;
import io.github.wolfraam.chessgame.move.Move;
import io.github.wolfraam.chessgame.notation.NotationType;
import io.github.wolfraam.chessgame.result.ChessGameResultType;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deliberately small chess player: mate in one if there is one, else the capture of the most
 * valuable piece, else a move drawn from a random source seeded by the position, so the same
 * position always gets the same answer (a retried reply is then the same command).
 */
final class MovePicker {
    private MovePicker() {
    }

    /** The move to play in {@code fen}, in UCI notation, or null when there is none. */
    static String pick(String fen) {
        ChessGame game = new ChessGame(fen);
        List<Move> legal = game.getLegalMoves().stream()
                .sorted(Comparator.comparing(m -> game.getNotation(NotationType.UCI, m))).toList();
        if (legal.isEmpty()) {
            return null;
        }
        Move best = null;
        int bestValue = -1;
        for (Move m : legal) {
            ChessGame next = game.clone();
            next.playMove(m);
            if (next.getGameResultType() == ChessGameResultType.WHITE_WINS
                    || next.getGameResultType() == ChessGameResultType.BLACK_WINS) {
                return game.getNotation(NotationType.UCI, m);
            }
            Piece taken = game.getPiece(m.to);
            int value = taken == null ? -1 : value(taken);
            if (value > bestValue) {
                bestValue = value;
                best = m;
            }
        }
        if (best == null) {
            best = legal.get(new SplittableRandom(fen.hashCode()).nextInt(legal.size()));
        }
        return game.getNotation(NotationType.UCI, best);
    }

    private static int value(Piece piece) {
        return switch (piece.pieceType) {
            case PAWN -> 1;
            case KNIGHT, BISHOP -> 3;
            case ROOK -> 5;
            case QUEEN -> 9;
            case KING -> 100;
        };
    }
}
