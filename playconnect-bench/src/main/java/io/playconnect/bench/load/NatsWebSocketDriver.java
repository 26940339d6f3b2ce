package io.playconnect.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The NATS client protocol inside WebSocket frames, as nats-server's {@code websocket} listener
 * speaks it: the server's {@code INFO}, then {@code CONNECT}, one {@code SUB} per room (the room
 * is the subject) and a {@code PING} whose {@code PONG} says the subscriptions are in place.
 * Publishing is {@code PUB}; core NATS has no acknowledgement, so a publish completes when
 * written, and no replay, so a client that reconnects only gets what is published afterwards.
 */
public final class NatsWebSocketDriver implements ProtocolDriver {
    private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,"
            + "\"echo\":true,\"headers\":false,\"no_responders\":false,\"lang\":\"playconnect-bench\",\"version\":\"0.1\"}\r\n";

    private final URI uri;
    private final WebSocketClients clients;

    /** @param uri {@code ws://host:port} of the server's websocket listener */
    public NatsWebSocketDriver(URI uri, int ioThreads) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.clients = new WebSocketClients(ioThreads, "load-nats-ws");
    }

    @Override
    public String name() {
        return "nats-ws";
    }

    @Override
    public boolean resumes() {
        return false;
    }

    @Override
    public CompletableFuture<ClientConnection> connect(ClientSpec spec, ClientListener listener) {
        Connection conn = new Connection(spec, listener);
        return clients.open(uri, null, spec.localAddress(), conn).thenCompose(conn::attached);
    }

    @Override
    public void close() {
        clients.close();
    }

    private static final class Connection implements ClientConnection, WebSocketClients.FrameSink, NatsParser.Handler {
        private final ClientSpec spec;
        private final ClientListener listener;
        private final NatsParser parser = new NatsParser(this);
        private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
        private volatile Channel channel;
        /** Set on the I/O thread: CONNECT went out, so the next PONG answers our PING. */
        private boolean connectSent;

        Connection(ClientSpec spec, ClientListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        CompletableFuture<ClientConnection> attached(Channel ch) {
            channel = ch;
            // INFO may have arrived before the handshake future completed on this thread.
            ch.eventLoop().execute(this::sendConnectOnce);
            return ready;
        }

        @Override
        public void onFrame(Channel ch, ByteBuf content) {
            channel = ch;
            parser.feed(content);
        }

        @Override
        public void onInfo(String json) {
            sendConnectOnce();
        }

        private void sendConnectOnce() {
            Channel ch = channel;
            if (connectSent || ch == null) {
                return;
            }
            connectSent = true;
            StringBuilder sb = new StringBuilder(CONNECT);
            for (int i = 0; i < spec.rooms().size(); i++) {
                sb.append("SUB ").append(spec.rooms().get(i)).append(' ').append(i + 1).append("\r\n");
            }
            sb.append("PING\r\n");
            ch.writeAndFlush(binary(sb.toString()));
        }

        @Override
        public void onMsg(String subject, int sid, ByteBuf payload) {
            int from = payload.readerIndex();
            int to = payload.writerIndex();
            String room = sid >= 1 && sid <= spec.rooms().size() ? spec.rooms().get(sid - 1) : subject;
            listener.onMessage(spec.index(), room, Payloads.number(payload, from, to), Payloads.sentNanos(payload, from, to));
        }

        @Override
        public void onPing() {
            channel.writeAndFlush(binary("PONG\r\n"));
        }

        @Override
        public void onPong() {
            if (connectSent) {
                ready.complete(this);
            }
        }

        @Override
        public void onError(String message) {
            if (!ready.isDone()) {
                ready.completeExceptionally(new IllegalStateException("nats: " + message));
            }
            listener.onError(spec.index(), "nats", message);
        }

        @Override
        public void onClose(int code, String reason) {
            ready.completeExceptionally(new IllegalStateException("connection closed: " + code + " " + reason));
            listener.onClosed(spec.index(), code, reason);
        }

        @Override
        public int index() {
            return spec.index();
        }

        @Override
        public CompletableFuture<Long> publish(String room, byte[] payload) {
            ByteBuf frame = Unpooled.buffer(payload.length + room.length() + 24);
            frame.writeCharSequence("PUB " + room + " " + payload.length + "\r\n", StandardCharsets.US_ASCII);
            frame.writeBytes(payload);
            frame.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
            CompletableFuture<Long> written = new CompletableFuture<>();
            channel.writeAndFlush(new BinaryWebSocketFrame(frame)).addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(-1L);
                } else {
                    written.completeExceptionally(f.cause());
                }
            });
            return written;
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

        private static BinaryWebSocketFrame binary(String text) {
            return new BinaryWebSocketFrame(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        }
    }
}
