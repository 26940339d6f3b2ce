package io.playconnect.server.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client speaking the playconnect.v1 JSON ops, collecting what the server sends. */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> seen = new ArrayList<>();
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> source;

    private WsClient(WebSocket socket, BlockingQueue<JsonNode> source) {
        this.socket = socket;
        this.source = source;
    }

    public static WsClient connect(URI ws, String token) {
        BlockingQueue<JsonNode> early = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("playconnect.v1")
                .buildAsync(URI.create(ws + "?token=" + token), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                early.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        return new WsClient(socket, early);
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next frame matching {@code match}, within {@code timeout}; earlier frames are kept in {@link #seen}. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode next = left <= 0 ? null : source.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no matching frame within " + timeout + "; saw " + seen);
            }
            seen.add(next);
            if (match.test(next)) {
                return next;
            }
        }
    }

    public static Predicate<JsonNode> op(String op) {
        return n -> op.equals(n.path("op").asText());
    }

    public List<JsonNode> seen() {
        return seen;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
