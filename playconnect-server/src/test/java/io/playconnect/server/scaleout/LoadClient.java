package io.playconnect.server.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playconnect.testkit.history.History;

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
import java.util.function.Supplier;

/**
 * A WebSocket client that publishes to one room at a steady pace and follows it, recording every
 * attempt, ack and delivery in a {@link History}. It behaves as a careful real client: one publish
 * in flight; an error or an unknown outcome is retried with the same correlationId; a closed socket
 * is answered by connecting to the next gateway, resuming from the last seq it received (which
 * must come back {@code recovered: true}) and re-sending what was in flight.
 */
final class LoadClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(30);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** A frame of one connection; frames of an older connection are ignored. */
    private record Frame(int connection, JsonNode node) {
    }

    /** One acknowledged publish: when its last attempt started and when the ack arrived. */
    record Acked(long attemptNanos, long ackNanos) {
    }

    final String name;
    final String room;
    private final History history;
    private final Supplier<List<URI>> gateways;
    private final String token;
    private final long paceNanos;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<Acked> acked = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopSending;
    private volatile boolean closed;
    private volatile boolean hold;
    private volatile Throwable failure;
    private volatile String inFlight;
    private volatile String epoch;
    private volatile long deliveredSeq = -1;
    private volatile int reconnects;
    private WebSocket socket;
    private int connection;
    private int gatewayIndex;
    private long sent;
    private long attemptNanos;
    private long retryAt;
    private long nextSendAt;

    LoadClient(String name, String room, History history, Supplier<List<URI>> gateways, int firstGateway, String token,
               Duration pace) {
        this.name = name;
        this.room = room;
        this.history = history;
        this.gateways = gateways;
        this.gatewayIndex = firstGateway;
        this.token = token;
        this.paceNanos = pace.toNanos();
        this.thread = new Thread(this::run, "load-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Sends nothing new until released; what is in flight goes on. */
    void hold(boolean on) {
        hold = on;
    }

    /** True when no publish is in flight. */
    boolean idle() {
        return inFlight == null;
    }

    /** Stops publishing; returns once what was in flight was acknowledged (bounded). Deliveries go on. */
    void stopSending(Duration within) {
        stopSending = true;
        try {
            org.awaitility.Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(10))
                    .until(() -> inFlight == null || !thread.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            violation("still in flight " + within + " after the load stopped: " + inFlight);
        }
    }

    long deliveredSeq() {
        return deliveredSeq;
    }

    String epoch() {
        return epoch;
    }

    int reconnects() {
        return reconnects;
    }

    Throwable failure() {
        return failure;
    }

    synchronized List<Acked> acked() {
        return List.copyOf(acked);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private void run() {
        try {
            connect(false);
            while (!closed) {
                long now = System.nanoTime();
                if (inFlight == null && !stopSending && !hold && now - nextSendAt >= 0) {
                    inFlight = name + "-" + (++sent);
                    publish();
                } else if (inFlight != null && retryAt != 0 && now - retryAt >= 0) {
                    publish();
                } else if (inFlight != null && now - attemptNanos > STUCK_NANOS) {
                    violation("no answer to " + inFlight + " within 15 s; re-sending");
                    publish();
                }
                Frame f = frames.poll(5, TimeUnit.MILLISECONDS);
                if (f != null && f.connection() == connection) {
                    handle(f.node());
                }
            }
        } catch (InterruptedException e) {
            if (!closed) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void handle(JsonNode n) throws InterruptedException {
        switch (n.path("op").asText()) {
            case "_closed" -> {
                reconnects++;
                gatewayIndex++;
                connect(true);
                if (inFlight != null) {
                    publish();
                }
            }
            case "event" -> {
                JsonNode e = n.get("event");
                epoch = e.get("epoch").asText();
                deliveredSeq = e.get("seq").asLong();
                history.deliver(name, room, epoch, deliveredSeq, e.path("correlationId").asText(null));
            }
            case "ack" -> {
                if (n.path("correlationId").asText().equals(inFlight)) {
                    history.ack(name, room, inFlight, n.get("epoch").asText(), n.get("seq").asLong());
                    synchronized (this) {
                        acked.add(new Acked(attemptNanos, System.nanoTime()));
                    }
                    inFlight = null;
                    retryAt = 0;
                    nextSendAt = System.nanoTime() + paceNanos;
                }
            }
            case "error" -> {
                if (n.path("correlationId").asText().equals(inFlight)) {
                    retryAt = System.nanoTime() + RETRY_NANOS;
                }
            }
            default -> {
                // presence, pong and others: not part of the history
            }
        }
    }

    private void publish() {
        String cid = inFlight;
        history.invoke(name, room, cid);
        attemptNanos = System.nanoTime();
        retryAt = 0;
        send("{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"message\",\"correlationId\":\"" + cid
                + "\",\"payload\":{\"text\":\"" + cid + "\"}}");
    }

    private void send(String json) {
        try {
            socket.sendText(json, true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The socket is gone: its listener reports the close, and the retry follows the reconnect.
            frames.add(new Frame(connection, closedFrame()));
        }
    }

    private static JsonNode closedFrame() {
        return JSON.createObjectNode().put("op", "_closed");
    }

    /** Connects to the next gateway that answers and joins: fresh, or resuming from the last seq received. */
    private void connect(boolean resume) throws InterruptedException {
        long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
        while (true) {
            List<URI> all = gateways.get();
            URI uri = all.get(Math.floorMod(gatewayIndex, all.size()));
            int id = ++connection;
            try {
                socket = open(uri, id);
                JsonNode joined = join(resume, id);
                if (joined != null) {
                    onJoined(joined, resume);
                    return;
                }
            } catch (Exception e) {
                // That gateway is down or not ready: try the next one.
            }
            if (socket != null) {
                socket.abort();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " could not connect to any gateway within " + CONNECT_DEADLINE);
            }
            gatewayIndex++;
            // Back off before the next gateway; frames of the failed connection are dropped anyway.
            frames.poll(100, TimeUnit.MILLISECONDS);
        }
    }

    private WebSocket open(URI uri, int id) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().newWebSocketBuilder()
                .subprotocols("playconnect.v1")
                .buildAsync(URI.create(uri + "?token=" + token), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(new Frame(id, JSON.readTree(partial.toString())));
                            } catch (Exception e) {
                                violation("unparseable frame: " + partial);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        frames.add(new Frame(id, closedFrame()));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        frames.add(new Frame(id, closedFrame()));
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    /** Sends the join and waits for {@code joined}; null when the connection closed first. */
    private JsonNode join(boolean resume, int id) throws Exception {
        String position = resume && epoch != null
                ? ",\"since\":" + deliveredSeq + ",\"epoch\":\"" + epoch + "\"" : "";
        socket.sendText("{\"op\":\"join\",\"room\":\"" + room + "\"" + position + "}", true).get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Frame f = frames.poll(50, TimeUnit.MILLISECONDS);
            if (f == null || f.connection() != id) {
                continue;
            }
            String op = f.node().path("op").asText();
            if (op.equals("joined")) {
                return f.node();
            }
            if (op.equals("_closed")) {
                return null;
            }
        }
        return null;
    }

    private void onJoined(JsonNode joined, boolean resume) {
        String joinedEpoch = joined.get("epoch").asText();
        long seq = joined.get("seq").asLong();
        boolean recovered = joined.path("recovered").asBoolean();
        if (resume && epoch != null && !recovered) {
            violation("resumed from " + epoch + "/" + deliveredSeq + " but got recovered: false at "
                    + joinedEpoch + "/" + seq);
        }
        if (!recovered) {
            history.resync(name, room, joinedEpoch, seq);
            epoch = joinedEpoch;
            deliveredSeq = seq;
        }
    }

    private synchronized void violation(String what) {
        violations.add(what);
    }

    @Override
    public void close() {
        stopSending = true;
        closed = true;
        thread.interrupt();
        if (socket != null) {
            socket.abort();
        }
    }
}
