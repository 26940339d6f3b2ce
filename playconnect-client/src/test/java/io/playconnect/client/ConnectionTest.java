package io.playconnect.client;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.proto.v1.Ack;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.Error;
import io.playconnect.proto.v1.Joined;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.ServerMessage;
import io.playconnect.proto.v1.SyncServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client against an in-process fake of the service: typed failures from the trailers, acks
 * matched by correlation id, and a reconnect that joins again from the last position seen.
 */
class ConnectionTest {
    private static final Metadata.Key<String> AUTH = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final FakeService service = new FakeService();
    private Server server;
    private ManagedChannel channel;
    private PlayConnectClient client;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        io.grpc.ServerInterceptor recordToken = new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
                                                                      io.grpc.ServerCallHandler<Q, R> next) {
                service.tokens.add(String.valueOf(headers.get(AUTH)));
                return next.startCall(call, headers);
            }
        };
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(io.grpc.ServerInterceptors.intercept(service, recordToken)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = PlayConnectClient.newBuilder().channel(channel).token("jwt-1")
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void unaryFailuresCarryTheTypedCodeFromTheTrailers() {
        service.publishFailure = failure(Status.FAILED_PRECONDITION, "not_your_turn", "false", "c-9");
        ExecutionException e = catchThrowableOfType(() -> client.publish("game.1", "move", "{}").get(5, TimeUnit.SECONDS),
                ExecutionException.class);
        PlayConnectException p = (PlayConnectException) e.getCause();
        assertThat(p.code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
        assertThat(p.retry()).isFalse();
        assertThat(p.correlationId()).isEqualTo("c-9");
        assertThat(p.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(service.tokens).contains("Bearer jwt-1");

        service.publishFailure = Status.UNAVAILABLE.withDescription("proxy").asRuntimeException();
        e = catchThrowableOfType(() -> client.publish("game.1", "move", "{}").get(5, TimeUnit.SECONDS),
                ExecutionException.class);
        assertThat(((PlayConnectException) e.getCause()).code()).as("no trailers: from the status").isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void acksAndErrorsAreMatchedToPublishesByCorrelationId() throws Exception {
        Connection c = client.connect(new ConnectionListener() { });
        CompletableFutureAck ok = new CompletableFutureAck(c.publish("chat.1", "message", "{\"text\":\"a\"}".getBytes(), "ok-1"));
        CompletableFutureAck refused = new CompletableFutureAck(c.publish("chat.1", "message", "{}".getBytes(), "bad-1"));
        StreamObserver<ServerMessage> out = service.awaitStream();
        out.onNext(ServerMessage.newBuilder().setError(Error.newBuilder().setCode("bad_payload").setMessage("no text")
                .setCorrelationId("bad-1")).build());
        out.onNext(ServerMessage.newBuilder().setAck(Ack.newBuilder().setCorrelationId("ok-1").setRoom("chat.1")
                .setEpoch("e").setSeq(7)).build());
        assertThat(ok.future.get(5, TimeUnit.SECONDS).seq()).isEqualTo(7);
        ExecutionException e = catchThrowableOfType(() -> refused.future.get(5, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(((PlayConnectException) e.getCause()).code()).isEqualTo(ErrorCode.BAD_PAYLOAD);
        c.close();
    }

    @Test
    void aDrainedStreamReconnectsAndResumesFromTheLastPosition() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        List<Boolean> reconnecting = new CopyOnWriteArrayList<>();
        Connection c = client.connect(new ConnectionListener() {
            @Override
            public void onEvent(Event event) {
                events.add(event);
            }

            @Override
            public void onDisconnected(PlayConnectException cause, boolean again) {
                reconnecting.add(again);
            }
        });
        c.join("chat.7");
        StreamObserver<ServerMessage> first = service.awaitStream();
        assertThat(service.awaitMessage().getJoin().hasSince()).isFalse();
        first.onNext(ServerMessage.newBuilder().setJoined(Joined.newBuilder().setRoom("chat.7").setEpoch("ep").setSeq(4)).build());
        first.onNext(event("chat.7", "ep", 5));
        first.onError(Status.UNAVAILABLE.withDescription("server is draining").asRuntimeException());

        StreamObserver<ServerMessage> second = service.awaitStream();
        ClientMessage rejoin = service.awaitMessage();
        assertThat(rejoin.getJoin().getRoom()).isEqualTo("chat.7");
        assertThat(rejoin.getJoin().getSince().getEpoch()).isEqualTo("ep");
        assertThat(rejoin.getJoin().getSince().getSeq()).as("resumes after the last event seen").isEqualTo(5);
        second.onNext(event("chat.7", "ep", 6));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertThat(events).extracting(Event::seq).containsExactly(5L, 6L);
        assertThat(reconnecting).containsExactly(true);
        assertThat(c.position("chat.7")).hasValueSatisfying(p -> assertThat(p.seq()).isEqualTo(6));

        second.onError(failure(Status.UNAUTHENTICATED, "token_expired", "false", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> reconnecting.size() == 2);
        assertThat(reconnecting).containsExactly(true, false);
        assertThat(c.isOpen()).isFalse();
    }

    private static ServerMessage event(String room, String epoch, long seq) {
        return ServerMessage.newBuilder().setEvent(io.playconnect.proto.v1.Event.newBuilder().setV(1)
                .setId(epoch + "-" + seq).setType("chat.message").setRoom(room).setEpoch(epoch).setSeq(seq)
                .setPayload(ByteString.copyFromUtf8("{\"text\":\"" + seq + "\"}"))).build();
    }

    private static io.grpc.StatusRuntimeException failure(Status status, String code, String retry, String correlationId) {
        Metadata trailers = new Metadata();
        trailers.put(Convert.ERROR_CODE, code);
        trailers.put(Convert.RETRY, retry);
        if (correlationId != null) {
            trailers.put(Convert.CORRELATION_ID, correlationId);
        }
        return status.withDescription(code).asRuntimeException(trailers);
    }

    private record CompletableFutureAck(java.util.concurrent.CompletableFuture<io.playconnect.client.Ack> future) {
    }

    /** Records what the client sends; tests answer through the stream's response observer. */
    private static final class FakeService extends SyncServiceGrpc.SyncServiceImplBase {
        final BlockingQueue<StreamObserver<ServerMessage>> streams = new LinkedBlockingQueue<>();
        final BlockingQueue<ClientMessage> messages = new LinkedBlockingQueue<>();
        final List<String> tokens = new CopyOnWriteArrayList<>();
        volatile RuntimeException publishFailure;

        @Override
        public void publish(PublishRequest request, StreamObserver<PublishResponse> out) {
            out.onError(publishFailure);
        }

        @Override
        public StreamObserver<ClientMessage> connect(StreamObserver<ServerMessage> out) {
            streams.add(out);
            return new StreamObserver<>() {
                @Override
                public void onNext(ClientMessage value) {
                    messages.add(value);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }

        StreamObserver<ServerMessage> awaitStream() throws InterruptedException {
            StreamObserver<ServerMessage> s = streams.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a Connect stream").isNotNull();
            return s;
        }

        ClientMessage awaitMessage() throws InterruptedException {
            ClientMessage m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a client message").isNotNull();
            return m;
        }
    }
}
