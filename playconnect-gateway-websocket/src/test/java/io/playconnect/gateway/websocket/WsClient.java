package io.playconnect.gateway.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A well-behaved client on the JDK's WebSocket: keeps every server message in arrival order, and
 * lets a test take the next one that matches, waiting for it. Waiting is bounded generously: a
 * wait only runs out when a message never comes, which is the failure the test looks for.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How the server closed the connection; code -1 when it was cut without a close frame. */
    record Closed(int code, String reason) {
    }

    private final List<Msg> inbox = new ArrayList<>();
    private final List<Msg> all = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private WebSocket socket;

    static WsClient connect(URI wsUri, String token) {
        return connect(wsUri, token, Map.of(), List.of(WebSocketConfig.SUBPROTOCOL));
    }

    static WsClient connect(URI wsUri, String token, Map<String, String> headers, List<String> subprotocols) {
        return open(wsUri, token, headers, subprotocols).join();
    }

    /** Opens a connection; fails with the handshake's {@link WebSocketHandshakeException} when refused. */
    static CompletableFuture<WsClient> open(URI wsUri, String token, Map<String, String> headers,
                                            List<String> subprotocols) {
        URI target = token == null ? wsUri : URI.create(wsUri + "?token=" + token);
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        return builder.buildAsync(target, client).thenApply(ws -> {
            client.socket = ws;
            return client;
        });
    }

    /** The HTTP status of a refused handshake. */
    static int refusedStatus(Throwable failure) {
        Throwable t = failure instanceof CompletionException ? failure.getCause() : failure;
        if (t instanceof WebSocketHandshakeException h) {
            return h.getResponse().statusCode();
        }
        throw new AssertionError("expected a refused handshake", failure);
    }

    WebSocket socket() {
        return socket;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Removes and returns the first kept message matching {@code p}, waiting for it. */
    synchronized Msg next(Predicate<Msg> p) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (int i = 0; i < inbox.size(); i++) {
                if (p.test(inbox.get(i))) {
                    return inbox.remove(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed.isDone()) {
                throw new AssertionError("no matching message within " + WAIT + (closed.isDone()
                        ? " (closed: " + closed.join() + ")" : "") + "; kept: " + inbox);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    Msg nextOp(String op) {
        return next(m -> m.op().equals(op));
    }

    Msg nextOp(String op, String room) {
        return next(m -> m.op().equals(op) && room.equals(m.text("room")));
    }

    /** The next {@code n} events of {@code room}, in arrival order. */
    List<Msg> events(String room, int n) {
        List<Msg> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(next(m -> m.op().equals("event") && room.equals(m.get("event").path("room").asText())));
        }
        return events;
    }

    /** Every message received so far, consumed or not. */
    synchronized List<Msg> received() {
        return List.copyOf(all);
    }

    /** Completes when the server closes (or the connection is cut). */
    CompletableFuture<Closed> closed() {
        return closed;
    }

    Closed awaitClosed() {
        return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (this) {
            partial.append(data);
            if (last) {
                Msg m = Msg.parse(partial.toString());
                partial.setLength(0);
                inbox.add(m);
                all.add(m);
                notifyAll();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        throw new AssertionError("the server must not send binary frames");
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        synchronized (this) {
            closed.complete(new Closed(statusCode, reason));
            notifyAll();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        synchronized (this) {
            closed.complete(new Closed(-1, String.valueOf(error)));
            notifyAll();
        }
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
