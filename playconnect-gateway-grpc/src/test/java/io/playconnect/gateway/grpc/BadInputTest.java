package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.playconnect.core.RoomId;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.ServerMessage.MsgCase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input from a client that is not our generated code: raw bytes through a generic ClientCall.
 * Each gets a typed status, nothing is stored, and the server goes on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private GrpcFixture server;
    private ManagedChannel channel;
    private String token;

    @BeforeAll
    void start() {
        server = GrpcFixture.start();
        channel = server.channel();
        token = server.token("tester");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static MethodDescriptor<byte[], byte[]> raw(String method, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName("playconnect.v1.SyncService/" + method)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private CallOptions options() {
        return CallOptions.DEFAULT.withCallCredentials(GrpcFixture.bearer(token)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private Status unaryStatus(String method, byte[] body) {
        try {
            ClientCalls.blockingUnaryCall(channel, raw(method, MethodDescriptor.MethodType.UNARY), options(), body);
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().withCause(null);
        }
    }

    private long publishOk(String room) {
        return server.blocking(token).publish(PublishRequest.newBuilder().setRoom(room).setType("message")
                .setPayload(ByteString.copyFromUtf8("{\"text\":\"ok\"}")).build()).getSeq();
    }

    @Test
    void corruptProtobufIsInvalidArgumentAndChangesNothing() {
        String room = "chat.corrupt" + GrpcFixture.nextRoom();
        assertThat(publishOk(room)).isEqualTo(1);
        // A wire type of 7 does not exist: no protobuf parser accepts it.
        Status status = unaryStatus("Publish", new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("not a valid PublishRequest");
        for (String method : new String[]{"GetSnapshot", "GetPresence"}) {
            assertThat(unaryStatus(method, new byte[]{0x0a, 0x7f, 0x01}).getCode()).as(method)
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(publishOk(room)).as("the next publish follows seq 1: nothing else was stored").isEqualTo(2);
    }

    @Test
    void randomBytesAlwaysGetATypedClientErrorNeverAServerFault() {
        String room = "chat.random" + GrpcFixture.nextRoom();
        assertThat(publishOk(room)).isEqualTo(1);
        for (int i = 0; i < 40; i++) {
            long seed = 0x5eed_0000L + i;
            SplittableRandom random = new SplittableRandom(seed);
            byte[] body = new byte[1 + random.nextInt(64)];
            random.nextBytes(body);
            Status status = unaryStatus("Publish", body);
            // Random bytes may happen to be a valid (meaningless) message: then the room check answers.
            assertThat(status.getCode()).as("seed " + seed).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
        }
        assertThat(publishOk(room)).isEqualTo(2);
    }

    @Test
    void corruptProtobufOnTheStreamEndsItWithInvalidArgument() throws Exception {
        ClientCall<byte[], byte[]> call = channel.newCall(raw("Connect", MethodDescriptor.MethodType.BIDI_STREAMING),
                options());
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(10);
        call.sendMessage(new byte[]{0x22, 0x05, (byte) 0xff, (byte) 0xff});
        Status status = closed.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        // Other streams are untouched.
        StreamProbe other = StreamProbe.connect(server, token);
        other.send(ClientMessage.newBuilder().setPing(io.playconnect.proto.v1.PingRequest.getDefaultInstance()).build());
        other.next(MsgCase.PONG);
        other.cancel();
    }

    @Test
    void oversizedMessagesAreRefusedWithTypedCodes() {
        String room = "chat.big" + GrpcFixture.nextRoom();
        int limit = server.edge.limits().maxPayloadBytes();
        byte[] justOver = jsonString(limit + 10);
        assertThatThrownBy(() -> server.blocking(token).publish(PublishRequest.newBuilder().setRoom(room)
                .setType("message").setPayload(ByteString.copyFrom(justOver)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getTrailers().get(Statuses.ERROR_CODE)).isEqualTo("payload_too_large");
                });
        byte[] huge = jsonString(limit + GrpcConfig.FIELD_HEADROOM + 1024);
        assertThatThrownBy(() -> server.blocking(token).publish(PublishRequest.newBuilder().setRoom(room)
                .setType("message").setPayload(ByteString.copyFrom(huge)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(server.stored(RoomId.parse(room))).isEmpty();
        assertThat(publishOk(room)).isEqualTo(1);
    }

    private static byte[] jsonString(int size) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 'a');
        b[0] = '"';
        b[size - 1] = '"';
        return b;
    }

    @Test
    void anAlreadyPassedDeadlineSendsNothing() {
        String room = "chat.late" + GrpcFixture.nextRoom();
        long before = (long) server.counter("playconnect.edge.commands", "protocol", "grpc", "outcome", "accepted");
        assertThatThrownBy(() -> server.blocking(token).withDeadlineAfter(1, TimeUnit.NANOSECONDS)
                .publish(PublishRequest.newBuilder().setRoom(room).setType("message")
                        .setPayload(ByteString.copyFromUtf8("{}")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(server.stored(RoomId.parse(room))).isEmpty();
        assertThat(server.counter("playconnect.edge.commands", "protocol", "grpc", "outcome", "accepted"))
                .isEqualTo((double) before);
    }

    @Test
    void theResponseTypeIsTheGeneratedOne() {
        PublishResponse r = server.blocking(token).publish(PublishRequest.newBuilder()
                .setRoom("chat.type" + GrpcFixture.nextRoom()).setType("message")
                .setPayload(ByteString.copyFromUtf8("{\"text\":\"t\"}")).setCorrelationId("typed-1").build());
        assertThat(r.getCorrelationId()).isEqualTo("typed-1");
        assertThat(r.getEpoch()).isNotEmpty();
    }
}
