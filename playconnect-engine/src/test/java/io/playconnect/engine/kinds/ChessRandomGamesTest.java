package io.playconnect.engine.kinds;

import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.move.Move;
import io.github.wolfraam.chessgame.notation.NotationType;
import io.playconnect.core.Command;
import io.playconnect.core.Event;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random legal games (moves picked from the library's own legal-move list, sent as SAN or UCI)
 * through decide and apply, checked against replay and a snapshot round trip. Also prints the
 * time spent in decide + apply per move; it is reported, never asserted.
 */
class ChessRandomGamesTest {
    private static final int MOVES_PER_ROUND = 8_000;

    @Test
    void randomGamesReplayAndRoundTripIdentically() {
        long bestNanos = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            bestNanos = Math.min(bestNanos, playRound(round));
        }
        System.out.printf("chess decide+apply: %.2f us per move (best of 5 rounds of %d moves)%n",
                bestNanos / 1000.0 / MOVES_PER_ROUND, MOVES_PER_ROUND);
    }

    /** Plays games until {@link #MOVES_PER_ROUND} moves; returns the nanoseconds in decide+apply. */
    private long playRound(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long nanos = 0;
        int moves = 0;
        int games = 0;
        while (moves < MOVES_PER_ROUND) {
            KindFixtures<ChessState> room = new KindFixtures<>(new ChessRoomLogic(), "game.r" + games);
            ChessGame mirror = new ChessGame();
            while (mirror.getGameResult() == null && moves < MOVES_PER_ROUND) {
                Move move = pick(mirror, random);
                String input = random.nextBoolean() ? mirror.getNotation(NotationType.SAN, move) : ChessMoves.uci(move);
                String user = mirror.getMoves().size() % 2 == 0 ? "white-" + games : "black-" + games;
                Command command = room.command(ChessRoomLogic.MOVE, user, "{\"move\":\"" + input + "\"}");
                long start = System.nanoTime();
                byte[] payload = room.logic.decide(room.state, command, room.now);
                Event event = room.eventFor(command, payload, room.stored.size() + 1);
                room.logic.apply(room.state, event);
                nanos += System.nanoTime() - start;
                room.stored.add(event);
                mirror.playMove(move);
                moves++;
            }
            String context = "seed " + seed + " game " + games;
            assertThat(room.state.fen()).as(context).isEqualTo(mirror.getFen());
            assertThat(room.state.ply()).as(context).isEqualTo(mirror.getMoves().size());
            assertThat(room.logic.encodeState(room.replayed())).as(context).isEqualTo(room.encoded());
            assertThat(room.roundTripped()).as(context).isEqualTo(room.encoded());
            games++;
        }
        return nanos;
    }

    /** A random legal move; sorted first so that a seed always gives the same game. */
    private static Move pick(ChessGame game, SplittableRandom random) {
        List<Move> legal = new ArrayList<>(game.getLegalMoves());
        legal.sort(Comparator.comparing(ChessMoves::uci));
        return legal.get(random.nextInt(legal.size()));
    }
}
