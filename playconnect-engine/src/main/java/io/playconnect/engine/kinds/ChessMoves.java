package io.playconnect.engine.kinds;

import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.board.PieceType;
import io.github.wolfraam.chessgame.board.Side;
import io.github.wolfraam.chessgame.board.Square;
import io.github.wolfraam.chessgame.move.IllegalMoveException;
import io.github.wolfraam.chessgame.move.Move;
import io.github.wolfraam.chessgame.notation.NotationType;
import io.github.wolfraam.chessgame.result.ChessGameResult;
import io.github.wolfraam.chessgame.result.ChessGameResultType;
import io.github.wolfraam.chessgame.result.DrawType;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

import java.util.Locale;

/** Reading and writing moves, and judging a position, on top of the chess library. */
final class ChessMoves {
    /** Longer than any SAN or UCI move with annotations; longer input is not a move. */
    static final int MAX_MOVE_LENGTH = 16;

    private ChessMoves() {
    }

    /** A legal move and its SAN. */
    record Parsed(Move move, String san) {
    }

    /**
     * A legal move in {@code game} from SAN ({@code Nf3}) or UCI ({@code g1f3}, {@code e7e8q}). The
     * library's UCI reader does not check legality; writing the SAN does, so that is the check.
     */
    static Parsed parse(ChessGame game, String input) {
        if (input.isEmpty() || input.length() > MAX_MOVE_LENGTH) {
            throw illegal(input, "is not a move in SAN or UCI");
        }
        try {
            Move move = looksLikeUci(input)
                    ? game.getMove(NotationType.UCI, input.toLowerCase(Locale.ROOT))
                    : game.getMove(NotationType.SAN, input);
            return new Parsed(move, game.getNotation(NotationType.SAN, move));
        } catch (IllegalMoveException e) {
            throw illegal(input, "is not legal for " + ChessState.color(game.getSideToMove())
                    + " in this position");
        } catch (RuntimeException e) {
            // The library's parsers throw assorted runtime exceptions on garbage input.
            throw illegal(input, "cannot be read as SAN or UCI");
        }
    }

    private static SyncException illegal(String input, String why) {
        return new SyncException(ErrorCode.ILLEGAL_MOVE, "move " + KindJson.quote(input) + " " + why);
    }

    static boolean looksLikeUci(String s) {
        int n = s.length();
        if (n != 4 && n != 5) {
            return false;
        }
        return isFile(s.charAt(0)) && isRank(s.charAt(1)) && isFile(s.charAt(2)) && isRank(s.charAt(3))
                && (n == 4 || "qrbnQRBN".indexOf(s.charAt(4)) >= 0);
    }

    private static boolean isFile(char c) {
        return c >= 'a' && c <= 'h';
    }

    private static boolean isRank(char c) {
        return c >= '1' && c <= '8';
    }

    static String uci(Move move) {
        String base = move.from.name + move.to.name;
        if (move.promotion == null) {
            return base;
        }
        return base + switch (move.promotion) {
            case KNIGHT -> 'n';
            case BISHOP -> 'b';
            case ROOK -> 'r';
            default -> 'q';
        };
    }

    /** The inverse of {@link #uci} for a move this logic stored; no legality check. */
    static Move fromUci(String uci) {
        if (!looksLikeUci(uci)) {
            throw new IllegalArgumentException("not a UCI move: " + uci);
        }
        Square from = Square.fromName(uci.substring(0, 2));
        Square to = Square.fromName(uci.substring(2, 4));
        if (uci.length() == 4) {
            return new Move(from, to);
        }
        PieceType promotion = switch (Character.toLowerCase(uci.charAt(4))) {
            case 'n' -> PieceType.KNIGHT;
            case 'b' -> PieceType.BISHOP;
            case 'r' -> PieceType.ROOK;
            default -> PieceType.QUEEN;
        };
        return new Move(from, to, promotion);
    }

    /** The status of a game after a move: mate, stalemate, another draw, or still on. */
    static ChessState.Status status(ChessGameResult result) {
        if (result == null) {
            return ChessState.Status.ACTIVE;
        }
        if (result.chessGameResultType != ChessGameResultType.DRAW) {
            return ChessState.Status.CHECKMATE;
        }
        return result.drawType == DrawType.STALE_MATE ? ChessState.Status.STALEMATE : ChessState.Status.DRAW;
    }

    static String winner(ChessGameResult result) {
        if (result == null || result.chessGameResultType == ChessGameResultType.DRAW) {
            return null;
        }
        return result.chessGameResultType == ChessGameResultType.WHITE_WINS
                ? ChessState.color(Side.WHITE) : ChessState.color(Side.BLACK);
    }
}
