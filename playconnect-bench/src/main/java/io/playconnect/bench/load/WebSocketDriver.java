package io.playconnect.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * PlayConnect's WebSocket protocol (docs/protocol-websocket.md): token on the URL, one
 * {@code join} per room (with {@code since}/{@code epoch} when resuming), {@code publish} with a
 * correlationId answered by {@code ack}. Event frames are read by scanning for the room, seq and
 * the payload's send time, without parsing the JSON.
 */
public final class WebSocketDriver implements ProtocolDriver {
    static final String SUBPROTOCOL = "playconnect.v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EVENT_HEAD = "{\"op\":\"event\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROOM = "\"room\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "\"payload\":".getBytes(StandardCharsets.US_ASCII);

    private final URI wsUri;
    private final Function<ClientSpec, String> tokens;
    private final WebSocketClients clients;
    private final AtomicLong correlation = new AtomicLong();
    /**
     * Makes correlationIds unique per load generator run: a second run against the same server
     * and users would otherwise re-use "p1", "p2", ... and be refused as idempotency conflicts.
     */
    private final String correlationPrefix = "p" + Integer.toString(java.util.concurrent.ThreadLocalRandom.current()
            .nextInt(1_679_616), 36) + "-";

    /**
     * @param wsUri  {@code ws://host:port/ws}
     * @param tokens the JWT each client authenticates with
     */
    public WebSocketDriver(URI wsUri, Function<ClientSpec, String> tokens, int ioThreads) {
        this.wsUri = Objects.requireNonNull(wsUri, "wsUri");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clients = new WebSocketClients(ioThreads, "load-ws");
    }

    @Override
    public String name() {
        return "playconnect-ws";
    }

    @Override
    public boolean resumes() {
        return true;
    }

    @Override
    public CompletableFuture<ClientConnection> connect(ClientSpec spec, ClientListener listener) {
        URI uri = URI.create(wsUri + "?token=" + URLEncoder.encode(tokens.apply(spec), StandardCharsets.US_ASCII));
        Connection conn = new Connection(spec, listener);
        return clients.open(uri, SUBPROTOCOL, spec.localAddress(), conn).thenCompose(conn::joinAll);
    }

    @Override
    public void close() {
        clients.close();
    }

    private final class Connection implements ClientConnection, WebSocketClients.FrameSink {
        private final ClientSpec spec;
        private final ClientListener listener;
        private final byte[][] roomBytes;
        private final ConcurrentHashMap<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
        private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
        /** Rooms not yet ready; only touched on this connection's I/O thread. */
        private int waitingRooms;
        private volatile Channel channel;

        Connection(ClientSpec spec, ClientListener listener) {
            this.spec = spec;
            this.listener = listener;
            this.roomBytes = spec.rooms().stream().map(r -> r.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
            this.waitingRooms = spec.rooms().size();
        }

        CompletableFuture<ClientConnection> joinAll(Channel ch) {
            channel = ch;
            if (spec.rooms().isEmpty()) {
                return CompletableFuture.completedFuture(this);
            }
            for (String room : spec.rooms()) {
                ClientSpec.Position at = spec.resumeFrom().get(room);
                String frame = at == null ? "{\"op\":\"join\",\"room\":\"" + room + "\"}"
                        : "{\"op\":\"join\",\"room\":\"" + room + "\",\"since\":" + at.seq() + ",\"epoch\":\"" + at.epoch() + "\"}";
                ch.write(text(frame));
            }
            ch.flush();
            return ready;
        }

        @Override
        public void onFrame(Channel ch, ByteBuf content) {
            int from = content.readerIndex();
            int to = content.writerIndex();
            if (Bytes.regionEquals(content, from, to, EVENT_HEAD)) {
                onEvent(content, from, to);
                return;
            }
            try {
                onControl(JSON.readTree((java.io.InputStream) new ByteBufInputStream(content.duplicate())));
            } catch (IOException e) {
                listener.onError(spec.index(), "client_parse", e.getMessage());
            }
        }

        private void onEvent(ByteBuf buf, int from, int to) {
            int roomAt = Bytes.indexOf(buf, from, to, ROOM);
            String room = roomAt < 0 ? null : room(buf, roomAt + ROOM.length, to);
            int seqAt = Bytes.indexOf(buf, Math.max(from, roomAt), to, SEQ);
            long seq = seqAt < 0 ? -1 : Bytes.parseLong(buf, seqAt + SEQ.length, to);
            int payloadAt = Bytes.indexOf(buf, Math.max(from, seqAt), to, PAYLOAD);
            long sent = payloadAt < 0 ? -1 : Payloads.sentNanos(buf, payloadAt, to);
            listener.onMessage(spec.index(), room, seq, sent);
        }

        /** The spec's own String for the room at {@code at}, so nothing is allocated per event. */
        private String room(ByteBuf buf, int at, int to) {
            for (int i = 0; i < roomBytes.length; i++) {
                if (Bytes.regionEquals(buf, at, to, roomBytes[i]) && at + roomBytes[i].length < to
                        && buf.getByte(at + roomBytes[i].length) == '"') {
                    return spec.rooms().get(i);
                }
            }
            return null;
        }

        private void onControl(JsonNode frame) {
            String op = frame.path("op").asText();
            switch (op) {
                case "joined" -> {
                    boolean recovered = frame.path("recovered").asBoolean();
                    listener.onJoined(spec.index(), frame.path("room").asText(), frame.path("epoch").asText(),
                            frame.path("seq").asLong(), recovered);
                    if (recovered) {
                        roomReady();
                    }
                }
                case "snapshot" -> roomReady();
                case "ack" -> complete(frame.path("correlationId").asText(), frame.path("seq").asLong(), null);
                case "error" -> onErrorFrame(frame);
                default -> {
                    // authenticated, presence, pong: nothing to count
                }
            }
        }

        private void onErrorFrame(JsonNode frame) {
            String code = frame.path("code").asText();
            String message = frame.path("message").asText();
            String cid = frame.path("correlationId").asText(null);
            if (cid != null && pending.containsKey(cid)) {
                complete(cid, -1, new IllegalStateException(code + ": " + message));
            } else if (frame.hasNonNull("room") && !ready.isDone()) {
                ready.completeExceptionally(new IllegalStateException("join " + frame.path("room").asText()
                        + " refused: " + code + ": " + message));
            } else {
                listener.onError(spec.index(), code, message);
            }
        }

        private void roomReady() {
            if (--waitingRooms == 0) {
                ready.complete(this);
            }
        }

        private void complete(String correlationId, long seq, Throwable failure) {
            CompletableFuture<Long> f = pending.remove(correlationId);
            if (f != null && failure == null) {
                f.complete(seq);
            } else if (f != null) {
                f.completeExceptionally(failure);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            IllegalStateException gone = new IllegalStateException("connection closed: " + code + " " + reason);
            ready.completeExceptionally(gone);
            pending.values().forEach(f -> f.completeExceptionally(gone));
            pending.clear();
            listener.onClosed(spec.index(), code, reason);
        }

        @Override
        public int index() {
            return spec.index();
        }

        @Override
        public CompletableFuture<Long> publish(String room, byte[] payload) {
            String cid = correlationPrefix + correlation.incrementAndGet();
            CompletableFuture<Long> acked = new CompletableFuture<>();
            pending.put(cid, acked);
            ByteBuf frame = Unpooled.buffer(payload.length + room.length() + 96);
            frame.writeCharSequence("{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"chat.message\",\"payload\":",
                    StandardCharsets.US_ASCII);
            frame.writeBytes(payload);
            frame.writeCharSequence(",\"correlationId\":\"" + cid + "\"}", StandardCharsets.US_ASCII);
            channel.writeAndFlush(new TextWebSocketFrame(frame)).addListener(f -> {
                if (!f.isSuccess()) {
                    complete(cid, -1, f.cause());
                }
            });
            return acked;
        }

        @Override
        public CompletableFuture<Void> drop() {
            return WebSocketClients.drop(channel);
        }

        @Override
        public boolean isOpen() {
            Channel ch = channel;
            return ch != null && ch.isActive();
        }

        @Override
        public void pauseReading() {
            channel.config().setAutoRead(false);
        }
    }

    private static TextWebSocketFrame text(String json) {
        return new TextWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    }
}
