package io.playconnect.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.StreamPosition;
import io.playconnect.proto.v1.AuthRequest;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.LeaveRequest;
import io.playconnect.proto.v1.Position;
import io.playconnect.proto.v1.PresenceRequest;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.ServerMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Connect} stream: join rooms, receive their events, publish. It remembers the position
 * of every joined room, and when the stream ends for a reason worth retrying (the server drains,
 * the network drops) it reconnects with backoff and joins again from those positions, so the
 * listener sees exactly the missed events (or a snapshot) and no gap. Thread-safe.
 */
public final class Connection implements AutoCloseable {
    /** A room joined, and the last position seen in it (null until the join is answered). */
    private final Map<String, Optional<StreamPosition>> rooms = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Ack>> pending = new ConcurrentHashMap<>();
    private final PlayConnectClient client;
    private final ConnectionListener listener;
    private final Object sendLock = new Object();
    private volatile ClientCallStreamObserver<ClientMessage> requests;
    private volatile boolean closed;
    private volatile long backoffMillis;

    Connection(PlayConnectClient client, ConnectionListener listener) {
        this.client = client;
        this.listener = listener;
        this.backoffMillis = client.minBackoff().toMillis();
    }

    /** Joins from scratch: {@code joined}, a snapshot, then live events. */
    public void join(String room) {
        rooms.put(room, Optional.empty());
        send(joinMessage(room, null));
    }

    /** Resumes from a position: exactly the events after it, or a snapshot when they are gone. */
    public void join(String room, StreamPosition since) {
        rooms.put(room, Optional.ofNullable(since));
        send(joinMessage(room, since));
    }

    public void leave(String room) {
        rooms.remove(room);
        send(ClientMessage.newBuilder().setLeave(LeaveRequest.newBuilder().setRoom(room)).build());
    }

    /** Publishes a JSON payload; the server makes the correlation id. */
    public CompletableFuture<Ack> publish(String room, String type, String payloadJson) {
        return publish(room, type, payloadJson.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * Publishes and completes with the ack (once stored) or fails with the typed error. A stream
     * that ends first fails the future with a retryable error: publish again with the same
     * correlation id, it is never applied twice.
     */
    public CompletableFuture<Ack> publish(String room, String type, byte[] payloadJson, String correlationIdOrNull) {
        String correlationId = correlationIdOrNull != null ? correlationIdOrNull : UUID.randomUUID().toString();
        CompletableFuture<Ack> ack = new CompletableFuture<>();
        CompletableFuture<Ack> earlier = pending.putIfAbsent(correlationId, ack);
        if (earlier != null) {
            return earlier;
        }
        send(ClientMessage.newBuilder().setPublish(PublishRequest.newBuilder().setRoom(room).setType(type)
                .setPayload(ByteString.copyFrom(payloadJson)).setCorrelationId(correlationId)).build());
        return ack;
    }

    /** Asks for the member list; it comes to {@link ConnectionListener#onPresence}. */
    public void presence(String room) {
        send(ClientMessage.newBuilder().setPresence(PresenceRequest.newBuilder().setRoom(room)).build());
    }

    /** Replaces the token without reconnecting (same user); confirmed by {@code onAuthenticated}. */
    public void refreshToken(String token) {
        send(ClientMessage.newBuilder().setAuth(AuthRequest.newBuilder().setToken(token)).build());
    }

    /** The last position seen in a joined room, for resuming elsewhere. */
    public Optional<StreamPosition> position(String room) {
        Optional<StreamPosition> p = rooms.get(room);
        return p == null ? Optional.empty() : p;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Ends the stream and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        ClientCallStreamObserver<ClientMessage> r = requests;
        if (r != null) {
            r.cancel("closed by the client", null);
        }
        failPending(new PlayConnectException(ErrorCode.UNAVAILABLE, "the connection was closed", true, null, null));
    }

    // ------------------------------------------------------------------ internals

    /** Opens a stream and joins again every room this connection holds (none the first time). */
    void open() {
        if (closed) {
            return;
        }
        client.stub().connect(new Responses());
        rejoin();
    }

    private void send(ClientMessage message) {
        synchronized (sendLock) {
            ClientCallStreamObserver<ClientMessage> r = requests;
            if (r != null && !closed) {
                r.onNext(message);
            }
        }
    }

    private static ClientMessage joinMessage(String room, StreamPosition since) {
        JoinRequest.Builder j = JoinRequest.newBuilder().setRoom(room);
        if (since != null) {
            j.setSince(Position.newBuilder().setEpoch(since.epoch()).setSeq(since.seq()));
        }
        return ClientMessage.newBuilder().setJoin(j).build();
    }

    private void rejoin() {
        rooms.forEach((room, position) -> send(joinMessage(room, position.orElse(null))));
    }

    private void failPending(PlayConnectException why) {
        pending.keySet().forEach(id -> {
            CompletableFuture<Ack> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(why);
            }
        });
    }

    private void onMessage(ServerMessage m) {
        switch (m.getMsgCase()) {
            case AUTHENTICATED -> listener.onAuthenticated(m.getAuthenticated().getUser(),
                    Instant.ofEpochMilli(m.getAuthenticated().getExpiresAt()));
            case JOINED -> {
                var j = m.getJoined();
                rooms.computeIfPresent(j.getRoom(), (k, v) -> Optional.of(new StreamPosition(j.getEpoch(), j.getSeq())));
                listener.onJoined(new Joined(j.getRoom(), j.getEpoch(), j.getSeq(), j.getRecovered()));
            }
            case SNAPSHOT -> listener.onSnapshot(Convert.snapshot(m.getSnapshot()));
            case EVENT -> {
                Event e = Convert.event(m.getEvent());
                rooms.computeIfPresent(e.room().value(), (k, v) -> Optional.of(e.position()));
                listener.onEvent(e);
            }
            case ACK -> {
                var a = m.getAck();
                CompletableFuture<Ack> f = pending.remove(a.getCorrelationId());
                if (f != null) {
                    f.complete(new Ack(a.getCorrelationId(), a.getRoom(), a.getEpoch(), a.getSeq()));
                }
            }
            case ERROR -> {
                PlayConnectException e = Convert.error(m.getError());
                CompletableFuture<Ack> f = e.correlationId() == null ? null : pending.remove(e.correlationId());
                if (f != null) {
                    f.completeExceptionally(e);
                } else {
                    listener.onError(e);
                }
            }
            case PRESENCE -> listener.onPresence(Convert.presence(m.getPresence()));
            case PONG, MSG_NOT_SET -> {
            }
        }
    }

    private void ended(Throwable error) {
        requests = null;
        PlayConnectException cause = error == null ? null : Convert.failure(error);
        boolean again = !closed && (cause == null || worthRetrying(cause));
        failPending(cause != null ? cause
                : new PlayConnectException(ErrorCode.UNAVAILABLE, "the stream ended", true, null, Status.OK));
        if (closed) {
            return;
        }
        listener.onDisconnected(cause, again);
        if (!again) {
            closed = true;
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(client.maxBackoff().toMillis(), delay * 2);
        try {
            client.scheduler().schedule(this::open, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }

    /** Draining, overload, a dropped network, a slow-consumer close: yes. A refused token or a bug: no. */
    private static boolean worthRetrying(PlayConnectException cause) {
        Status.Code code = cause.status() == null ? Status.Code.UNKNOWN : cause.status().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED
                || code == Status.Code.ABORTED || code == Status.Code.INTERNAL && cause.retry();
    }

    /** The response side of one stream; a new one per reconnect. */
    private final class Responses implements ClientResponseObserver<ClientMessage, ServerMessage> {
        @Override
        public void beforeStart(ClientCallStreamObserver<ClientMessage> stream) {
            synchronized (sendLock) {
                requests = stream;
            }
        }

        @Override
        public void onNext(ServerMessage message) {
            if (message.hasJoined() || message.hasEvent()) {
                backoffMillis = client.minBackoff().toMillis();
            }
            onMessage(message);
        }

        @Override
        public void onError(Throwable t) {
            ended(t);
        }

        @Override
        public void onCompleted() {
            ended(null);
        }
    }
}
