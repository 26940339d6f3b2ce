package io.playconnect.client;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.proto.v1.GetPresenceRequest;
import io.playconnect.proto.v1.GetPresenceResponse;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.Snapshot;
import io.playconnect.proto.v1.GetSnapshotRequest;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.SyncServiceGrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Java service's way into PlayConnect rooms over gRPC ({@code playconnect.v1.SyncService}).
 * Unary calls for services that do not hold a stream, and {@link #connect} for a session that
 * joins rooms, receives their events and publishes. Thread-safe; one per process is enough.
 *
 * <pre>{@code
 * try (PlayConnectClient client = PlayConnectClient.newBuilder().target("127.0.0.1:9090").token(jwt).build()) {
 *     Ack ack = client.publish("chat.lobby", "message", "{\"text\":\"hi\"}").join();
 *     Connection c = client.connect(new ConnectionListener() {
 *         public void onEvent(Event e) { System.out.println(e.type() + " " + e.seq()); }
 *     });
 *     c.join("chat.lobby");
 * }
 * }</pre>
 *
 * Failed futures complete with a {@link PlayConnectException} carrying the typed code.
 */
public final class PlayConnectClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final TokenCredentials credentials;
    private final Duration timeout;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService scheduler;
    private final SyncServiceGrpc.SyncServiceStub stub;

    private PlayConnectClient(Builder b) {
        this.ownsChannel = b.channel == null;
        this.channel = ownsChannel ? Grpc.newChannelBuilder(b.target, b.credentials()).build() : b.channel;
        this.credentials = new TokenCredentials(b.tokens);
        this.timeout = b.timeout;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "playconnect-client");
            t.setDaemon(true);
            return t;
        });
        this.stub = SyncServiceGrpc.newStub(channel).withCallCredentials(credentials);
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** Publishes {@code payloadJson} (one JSON value) as {@code type} into {@code room}; the server makes the correlation id. */
    public CompletableFuture<Ack> publish(String room, String type, String payloadJson) {
        return publish(room, type, payloadJson.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * Publishes and completes once the command is stored. Retrying with the same
     * {@code correlationId} never applies it twice. Unary publishes that overlap are not ordered
     * against each other (the server sends them to the room together); when order matters, wait
     * for each ack before the next publish to the room, or publish on a {@link Connection}.
     */
    public CompletableFuture<Ack> publish(String room, String type, byte[] payloadJson, String correlationIdOrNull) {
        PublishRequest.Builder r = PublishRequest.newBuilder().setRoom(room).setType(type)
                .setPayload(ByteString.copyFrom(payloadJson));
        if (correlationIdOrNull != null) {
            r.setCorrelationId(correlationIdOrNull);
        }
        return this.<PublishResponse, Ack>unary((s, o) -> s.publish(r.build(), o),
                a -> new Ack(a.getCorrelationId(), a.getRoom(), a.getEpoch(), a.getSeq()));
    }

    /** The room's current state (needs the subscribe scope). */
    public CompletableFuture<RoomSnapshot> snapshot(String room) {
        return this.<Snapshot, RoomSnapshot>unary((s, o) -> s.getSnapshot(GetSnapshotRequest.newBuilder().setRoom(room).build(), o),
                Convert::snapshot);
    }

    /** Who is in the room (needs the presence scope). */
    public CompletableFuture<List<Member>> presence(String room) {
        return this.<GetPresenceResponse, List<Member>>unary((s, o) -> s.getPresence(GetPresenceRequest.newBuilder().setRoom(room).build(), o),
                r -> r.getMembersList().stream().map(Convert::member).toList());
    }

    /** Opens a session stream; join rooms on the returned connection. */
    public Connection connect(ConnectionListener listener) {
        Connection c = new Connection(this, Objects.requireNonNull(listener, "listener"));
        c.open();
        return c;
    }

    SyncServiceGrpc.SyncServiceStub stub() {
        return stub;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Duration minBackoff() {
        return minBackoff;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    private interface Call<T> {
        void start(SyncServiceGrpc.SyncServiceStub stub, StreamObserver<T> observer);
    }

    private <T, R> CompletableFuture<R> unary(Call<T> call, Function<T, R> convert) {
        CompletableFuture<R> result = new CompletableFuture<>();
        call.start(stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS), new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                try {
                    result.complete(convert.apply(value));
                } catch (RuntimeException e) {
                    result.completeExceptionally(Convert.failure(e));
                }
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(Convert.failure(t));
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(new IllegalStateException("the server sent no answer"));
            }
        });
        return result;
    }

    /** Closes the channel (when the client made it) and stops reconnecting connections. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        if (ownsChannel) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Client settings; {@link #target} (or {@link #channel}) and a token are required. */
    public static final class Builder {
        private String target;
        private ManagedChannel channel;
        private Supplier<String> tokens;
        private Path trustedCertificate;
        private boolean tls;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);

        private Builder() {
        }

        /** {@code host:port} of the gRPC listener (the server prints it: {@code grpc://127.0.0.1:9090}). */
        public Builder target(String target) {
            Objects.requireNonNull(target, "target");
            this.target = target.replaceFirst("^grpcs?://", "");
            if (target.startsWith("grpcs://")) {
                this.tls = true;
            }
            return this;
        }

        /** A channel the caller made and keeps owning (closing the client leaves it open). */
        public Builder channel(ManagedChannel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            return tokenSupplier(() -> token);
        }

        /** Asked for every call and every reconnect, so a rotating token is picked up. */
        public Builder tokenSupplier(Supplier<String> tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokenSupplier");
            return this;
        }

        /** TLS with the platform's trusted roots. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** TLS trusting this PEM certificate (a self-signed server's, say). */
        public Builder trustCertificate(Path pem) {
            this.trustedCertificate = Objects.requireNonNull(pem, "trustCertificate");
            this.tls = true;
            return this;
        }

        /** The deadline of each unary call; default 10 s. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** How long a connection waits before reconnecting: from {@code min}, doubling up to {@code max}. */
        public Builder reconnectBackoff(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnectBackoff needs 0 < min <= max: " + min + ", " + max);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        private ChannelCredentials credentials() {
            if (!tls) {
                return InsecureChannelCredentials.create();
            }
            if (trustedCertificate == null) {
                return TlsChannelCredentials.create();
            }
            try {
                return TlsChannelCredentials.newBuilder().trustManager(trustedCertificate.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + trustedCertificate, e);
            }
        }

        public PlayConnectClient build() {
            if (channel == null && target == null) {
                throw new IllegalArgumentException("target is required (or a channel)");
            }
            if (tokens == null) {
                throw new IllegalArgumentException("token is required");
            }
            return new PlayConnectClient(this);
        }
    }
}
