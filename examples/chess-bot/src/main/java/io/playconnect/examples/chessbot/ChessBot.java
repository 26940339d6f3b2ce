package io.playconnect.examples.chessbot;

import io.playconnect.client.Connection;
import io.playconnect.client.ConnectionListener;
import io.playconnect.client.PlayConnectClient;
import io.playconnect.client.PlayConnectException;
import io.playconnect.core.Event;
import io.playconnect.core.RoomSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend service that plays chess in PlayConnect rooms over gRPC: it joins a {@code game} room
 * with {@link PlayConnectClient}, waits for a player (a browser, say) to open the game as white,
 * and answers every move with one of its own as black. Its moves are ordinary commands: the room's
 * engine checks them like anyone else's, and every client in the room sees them as events.
 *
 * <pre>{@code
 * try (PlayConnectClient client = PlayConnectClient.newBuilder().target("127.0.0.1:9090").token(botJwt).build();
 *      ChessBot bot = ChessBot.join(client, "bot", "game.42")) {
 *     ...
 * }
 * }</pre>
 */
public final class ChessBot implements ConnectionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChessBot.class);

    private final String user;
    private final String room;
    private final AtomicInteger movesPlayed = new AtomicInteger();
    private volatile Connection connection;
    /** Touched on the connection's listener thread only (callbacks are serialized). */
    private Position position = new Position(Position.START, null, null, "active");

    private ChessBot(String user, String room) {
        this.user = user;
        this.room = room;
    }

    /**
     * Joins {@code room} as {@code user} (the subject of the client's token) and starts answering.
     */
    public static ChessBot join(PlayConnectClient client, String user, String room) {
        ChessBot bot = new ChessBot(Objects.requireNonNull(user, "user"), Objects.requireNonNull(room, "room"));
        bot.connection = client.connect(bot);
        bot.connection.join(room);
        return bot;
    }

    /** How many moves the bot has had accepted. */
    public int movesPlayed() {
        return movesPlayed.get();
    }

    @Override
    public void onSnapshot(RoomSnapshot snapshot) {
        if (snapshot.room().value().equals(room)) {
            position = Position.fromState(snapshot.state());
            answerIfMyTurn();
        }
    }

    @Override
    public void onEvent(Event event) {
        if (event.room().value().equals(room) && event.type().startsWith("game.")) {
            position = position.after(event.payload());
            answerIfMyTurn();
        }
    }

    @Override
    public void onError(PlayConnectException error) {
        log.warn("{} in {}: {} {}", user, room, error.code().wireName(), error.getMessage());
    }

    @Override
    public void onDisconnected(PlayConnectException cause, boolean reconnecting) {
        log.info("{} left {}: {} (reconnecting: {})", user, room, cause == null ? "closed" : cause.getMessage(), reconnecting);
    }

    /** Plays black: once white has a player who is not the bot, every black turn is the bot's. */
    private void answerIfMyTurn() {
        Position p = position;
        boolean mine = p.active() && p.sideToMove() == 'b' && p.white() != null && !p.white().equals(user)
                && (p.black() == null || p.black().equals(user));
        if (!mine) {
            return;
        }
        String move = MovePicker.pick(p.fen());
        if (move == null) {
            return;
        }
        // One correlation id per position: a repeated answer (after a reconnect) is the same command.
        String correlationId = "bot-" + Integer.toHexString(p.fen().hashCode());
        connection.publish(room, "move", ("{\"move\":\"" + move + "\"}").getBytes(StandardCharsets.UTF_8), correlationId)
                .whenComplete((ack, err) -> {
                    if (err == null) {
                        movesPlayed.incrementAndGet();
                    } else {
                        log.warn("{} could not play {} in {}: {}", user, move, room, err.getMessage());
                    }
                });
    }

    @Override
    public void close() {
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /**
     * Runs the bot until interrupted: {@code ChessBot TARGET TOKEN USER ROOM}, for example
     * {@code ChessBot 127.0.0.1:9090 $(./playconnect token --sub bot --room 'game.*') bot game.42}.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: ChessBot TARGET TOKEN USER ROOM   (e.g. 127.0.0.1:9090 <jwt> bot game.42)");
            System.exit(2);
        }
        try (PlayConnectClient client = PlayConnectClient.newBuilder().target(args[0]).token(args[1]).build();
             ChessBot bot = join(client, args[2], args[3])) {
            log.info("{} is waiting for a white player in {}", args[2], args[3]);
            Thread.currentThread().join();
        }
    }
}
