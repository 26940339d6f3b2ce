package io.playconnect.examples.chessbot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.wolfraam.chessgame.ChessGame;
import io.github.wolfraam.chessgame.move.Move;
import io.github.wolfraam.chessgame.notation.NotationType;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.client.PlayConnectClient;
import io.playconnect.core.spi.Broker;
import io.playconnect.edge.Edge;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.engine.SyncEngine;
import io.playconnect.gateway.grpc.GrpcGateway;
import io.playconnect.gateway.websocket.WebSocketGateway;
import io.playconnect.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short game: a browser-side player (the JDK's WebSocket client on the WebSocket gateway) opens as
 * white, and the bot, over gRPC with playconnect-client, answers every move as black. Both see the
 * same events; each move is stamped with the protocol it came over.
 */
class BotVersusBrowserTest {
    private static final byte[] SECRET = "chess-bot-test-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WHITE_MOVES = 5;

    private InMemoryBroker broker;
    private InMemoryPresenceStore presence;
    private SyncEngine engine;
    private Edge edge;
    private HttpServer http;
    private final WebSocketGateway ws = new WebSocketGateway();
    private final GrpcGateway grpc = new GrpcGateway();
    private URI wsUri;
    private int grpcPort;

    @BeforeEach
    void start() {
        broker = InMemoryBroker.newBuilder().build();
        presence = InMemoryPresenceStore.newBuilder().build();
        engine = SyncEngine.newBuilder().broker(broker).partitions(2).build();
        engine.start().join();
        edge = Edge.newBuilder().broker(broker).presenceStore(presence).partitions(2)
                .tokenVerifier(JwtTokenVerifier.newBuilder().hmacSecret(SECRET).build()).build();
        edge.start().join();
        http = HttpServer.newBuilder().host("127.0.0.1").port(0).build();
        http.start().join();
        wsUri = ws.start(GatewayContext.newBuilder().edge(edge).settings(GatewaySettings.newBuilder()
                .host("127.0.0.1").port(-1).build()).extension(HttpServer.class, http).build()).join().get(0).uri();
        grpcPort = grpc.start(GatewayContext.newBuilder().edge(edge).settings(GatewaySettings.newBuilder()
                .host("127.0.0.1").port(0).build()).extension(HttpServer.class, http).extension(Broker.class, broker)
                .build()).join().get(0).uri().getPort();
    }

    @AfterEach
    void stop() {
        grpc.close();
        ws.close();
        edge.close();
        http.stop().join();
        engine.close();
        presence.close();
        broker.close();
    }

    @Test
    void theBotAnswersEveryMoveOfABrowserPlayer() throws Exception {
        String room = "game.bot" + System.nanoTime();
        try (PlayConnectClient client = PlayConnectClient.newBuilder().target("127.0.0.1:" + grpcPort)
                .token(token("bot")).build();
             ChessBot bot = ChessBot.join(client, "bot", room);
             Browser browser = Browser.connect(wsUri, token("alice"))) {
            browser.send("{\"op\":\"join\",\"room\":\"" + room + "\"}");
            browser.await(m -> m.get("op").asText().equals("snapshot"));

            SplittableRandom random = new SplittableRandom(42);
            String fen = Position.START;
            for (int ply = 1; ply <= 2 * WHITE_MOVES; ply += 2) {
                String move = randomLegalMove(fen, random);
                browser.send("{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"move\",\"payload\":{\"move\":\""
                        + move + "\"},\"correlationId\":\"w" + ply + "\"}");
                JsonNode mine = browser.event(ply);
                assertThat(mine.get("origin").get("protocol").asText()).isEqualTo("websocket");
                assertThat(mine.get("payload").get("color").asText()).isEqualTo("white");
                JsonNode reply = browser.event(ply + 1);
                assertThat(reply.get("origin").get("protocol").asText()).as("the bot's move came over gRPC").isEqualTo("grpc");
                assertThat(reply.get("origin").get("user").asText()).isEqualTo("bot");
                assertThat(reply.get("payload").get("color").asText()).isEqualTo("black");
                fen = reply.get("payload").get("fen").asText();
                if (!reply.get("payload").get("status").asText().equals("active")) {
                    break;
                }
            }
            assertThat(bot.movesPlayed()).isGreaterThanOrEqualTo(1);
            assertThat(new ChessGame(fen).getSideToMove().name()).isEqualTo("WHITE");
        }
    }

    private static String randomLegalMove(String fen, SplittableRandom random) {
        ChessGame game = new ChessGame(fen);
        List<Move> legal = game.getLegalMoves().stream()
                .sorted(Comparator.comparing(m -> game.getNotation(NotationType.UCI, m))).toList();
        return game.getNotation(NotationType.UCI, legal.get(random.nextInt(legal.size())));
    }

    private static String token(String user) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                .claim("rooms", Map.of("game.*", List.of("subscribe", "publish", "presence"))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    /** The browser side: JSON text frames over the WebSocket gateway, with the JDK's client. */
    static final class Browser implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final java.util.List<JsonNode> passed = new java.util.ArrayList<>();
        private WebSocket socket;

        static Browser connect(URI ws, String token) {
            Browser b = new Browser();
            b.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(ws + "?token=" + token), b).join();
            return b;
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }

        /** The stored event with this seq. */
        JsonNode event(long seq) throws Exception {
            return await(m -> m.get("op").asText().equals("event") && m.get("event").get("seq").asLong() == seq)
                    .get("event");
        }

        JsonNode await(java.util.function.Predicate<JsonNode> matching) throws Exception {
            for (java.util.Iterator<JsonNode> it = passed.iterator(); it.hasNext(); ) {
                JsonNode m = it.next();
                if (matching.test(m)) {
                    it.remove();
                    return m;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                JsonNode m = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(m).as("a matching frame in time; passed over: " + passed).isNotNull();
                assertThat(m.get("op").asText()).as("no error frame: " + m).isNotEqualTo("error");
                if (matching.test(m)) {
                    return m;
                }
                passed.add(m);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
