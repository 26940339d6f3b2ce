package io.playconnect.engine.kinds;

import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.board.Side;
import io.github.wolfraam.chessgame.move.Move;
import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.engine.spi.RoomLogic;

import java.util.Arrays;

/**
 * The {@code game} room kind: chess, with the rules done by {@code io.github.wolfraam:chessgame}.
 *
 * <p>Commands: {@code game.move {"move":"e4"}} (SAN, or UCI such as {@code e2e4} / {@code e7e8q})
 * and {@code game.resign {}}. The first user to make a legal move plays white, the next different
 * user to move plays black, everyone else is a spectator. Refusals: {@code bad_payload},
 * {@code game_over}, {@code spectator}, {@code not_your_turn}, {@code illegal_move},
 * {@code unknown_type}, checked in that order.
 *
 * <p>The stored payload of a move is enriched with everything a client needs to render it
 * ({@code san}, {@code uci}, {@code color}, {@code player}, {@code fen}, {@code ply},
 * {@code status}, {@code winner}), and apply trusts it: replay plays the {@code uci} move without
 * running the rules again. Live, apply does not even read the payload: decide leaves the position
 * it computed in the state ({@link ChessState.Pending}), and apply of that same event adopts it.
 */
public final class ChessRoomLogic implements RoomLogic<ChessState> {
    public static final String KIND = "game";
    public static final String MOVE = "game.move";
    public static final String RESIGN = "game.resign";
    public static final int VERSION = 1;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public ChessState initialState(RoomId room) {
        return new ChessState(new ChessGame());
    }

    @Override
    public byte[] decide(ChessState state, Command command, long nowMillis) {
        return switch (command.type()) {
            case MOVE -> decideMove(state, command);
            case RESIGN -> decideResign(state, command);
            default -> throw new SyncException(ErrorCode.UNKNOWN_TYPE,
                    "a game room takes " + MOVE + " and " + RESIGN + ", not " + command.type());
        };
    }

    private byte[] decideMove(ChessState state, Command command) {
        String input = ChessPayloads.readMove(command.payload());
        requireActive(state);
        String user = command.origin().user();
        Side side = state.sideToMove();
        requireTurn(state, side, user);
        ChessMoves.Parsed parsed = ChessMoves.parse(state.game, input);
        Move move = parsed.move();
        ChessGame after = state.takeShadow();
        after.playMove(move);
        var result = after.getGameResult();
        ChessState.Pending pending = new ChessState.Pending(null, state.ply() + 1, ChessMoves.uci(move), move,
                after, parsed.san(), side, user, ChessMoves.status(result), ChessMoves.winner(result));
        byte[] payload = ChessPayloads.writeMove(input, pending, after.getFen());
        state.pending = withPayload(pending, payload);
        return payload;
    }

    private static ChessState.Pending withPayload(ChessState.Pending p, byte[] payload) {
        return new ChessState.Pending(payload, p.ply(), p.uci(), p.move(), p.after(), p.san(), p.side(),
                p.player(), p.status(), p.winner());
    }

    private byte[] decideResign(ChessState state, Command command) {
        ChessPayloads.requireObject(command.payload());
        requireActive(state);
        String user = command.origin().user();
        Side side;
        if (user.equals(state.white)) {
            side = Side.WHITE;
        } else if (user.equals(state.black)) {
            side = Side.BLACK;
        } else {
            throw new SyncException(ErrorCode.SPECTATOR, user + " is not playing this game, so cannot resign");
        }
        state.pending = null;
        return ChessPayloads.writeResign(ChessState.color(side), user, state.fen(), state.ply(),
                ChessState.color(side.flip()));
    }

    private static void requireActive(ChessState state) {
        if (state.status != ChessState.Status.ACTIVE) {
            throw new SyncException(ErrorCode.GAME_OVER, "the game is over (" + state.status.wire() + ")");
        }
    }

    /** Seats are taken by moving: white by the first mover, black by the next different user. */
    private static void requireTurn(ChessState state, Side side, String user) {
        String seated = side == Side.WHITE ? state.white : state.black;
        if (user.equals(seated)) {
            return;
        }
        String other = side == Side.WHITE ? state.black : state.white;
        if (user.equals(other)) {
            throw new SyncException(ErrorCode.NOT_YOUR_TURN,
                    "it is " + ChessState.color(side) + "'s turn; " + user + " plays " + ChessState.color(side.flip()));
        }
        if (seated != null) {
            throw new SyncException(ErrorCode.SPECTATOR,
                    user + " is a spectator: " + state.white + " and " + state.black + " are playing");
        }
    }

    @Override
    public void apply(ChessState state, Event event) {
        switch (event.type()) {
            case MOVE -> applyMove(state, event.payload());
            case RESIGN -> applyResign(state, event.payload());
            default -> {
                // Not a type this version writes: nothing to change.
            }
        }
    }

    private static void applyMove(ChessState state, byte[] payload) {
        ChessState.Pending p = state.pending;
        state.pending = null;
        if (p != null && (p.payload() == payload || Arrays.equals(p.payload(), payload))) {
            seat(state, p.side() == Side.WHITE ? "white" : "black", p.player());
            state.advance(p.after(), p.move());
            finish(state, p.san(), p.status(), p.winner());
            return;
        }
        ChessPayloads.Stored s = ChessPayloads.readStored(payload);
        seat(state, s.color(), s.player());
        state.replay(ChessMoves.fromUci(s.uci()));
        finish(state, s.san(), s.status(), s.winner());
    }

    private static void seat(ChessState state, String color, String player) {
        if ("white".equals(color) && state.white == null) {
            state.white = player;
        } else if ("black".equals(color) && state.black == null) {
            state.black = player;
        }
    }

    private static void finish(ChessState state, String san, ChessState.Status status, String winner) {
        state.moves.add(san);
        state.status = status == null ? ChessState.Status.ACTIVE : status;
        state.winner = winner;
    }

    private static void applyResign(ChessState state, byte[] payload) {
        state.pending = null;
        ChessPayloads.Stored s = ChessPayloads.readStored(payload);
        state.status = ChessState.Status.RESIGNED;
        state.winner = s.winner();
    }

    @Override
    public byte[] encodeState(ChessState state) {
        return ChessCodec.encode(state);
    }

    @Override
    public ChessState decodeState(RoomId room, byte[] json) {
        return ChessCodec.decode(json);
    }
}
