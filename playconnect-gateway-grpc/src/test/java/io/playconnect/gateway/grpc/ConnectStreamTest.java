package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.playconnect.proto.v1.AuthRequest;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.PingRequest;
import io.playconnect.proto.v1.Position;
import io.playconnect.proto.v1.PresenceRequest;
import io.playconnect.proto.v1.ServerMessage;
import io.playconnect.proto.v1.ServerMessage.MsgCase;
import io.playconnect.proto.v1.SubscribeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Connect and Subscribe streams with the generated Java stubs: the WebSocket contract's operations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectStreamTest {
    private GrpcFixture server;

    @BeforeAll
    void start() {
        server = GrpcFixture.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void joinPublishAckEventAndResume() throws Exception {
        String room = "chat.c" + GrpcFixture.nextRoom();
        StreamProbe alice = StreamProbe.connect(server, server.token("alice"));
        assertThat(alice.next(MsgCase.AUTHENTICATED).getAuthenticated().getUser()).isEqualTo("alice");
        alice.join(room);
        ServerMessage joined = alice.next(MsgCase.JOINED);
        assertThat(joined.getJoined().getRecovered()).isFalse();
        assertThat(alice.next(MsgCase.SNAPSHOT).getSnapshot().getSeq()).isEqualTo(joined.getJoined().getSeq());

        alice.publish(room, "message", "{\"text\":\"one\"}", "c-1");
        alice.publish(room, "message", "{\"text\":\"two\"}", "c-2");
        assertThat(alice.next(m -> m.hasAck() && m.getAck().getCorrelationId().equals("c-2")).getAck().getSeq()).isEqualTo(2);
        ServerMessage first = alice.next(m -> m.hasEvent() && m.getEvent().getSeq() == 1);
        assertThat(first.getEvent().getPayload().toStringUtf8()).isEqualTo("{\"text\":\"one\"}");
        assertThat(first.getEvent().getType()).isEqualTo("chat.message");
        assertThat(first.getEvent().getOrigin().getProtocol()).isEqualTo("grpc");
        assertThat(first.getEvent().getCorrelationId()).isEqualTo("c-1");
        String epoch = first.getEvent().getEpoch();
        alice.cancel();

        // Another stream publishes while alice is away; alice resumes from seq 1 and gets exactly 2 and 3.
        StreamProbe bob = StreamProbe.connect(server, server.token("bob"));
        bob.publish(room, "message", "{\"text\":\"three\"}", "b-1");
        assertThat(bob.next(MsgCase.ACK).getAck().getSeq()).isEqualTo(3);
        StreamProbe again = StreamProbe.connect(server, server.token("alice"));
        again.send(ClientMessage.newBuilder().setJoin(JoinRequest.newBuilder().setRoom(room)
                .setSince(Position.newBuilder().setEpoch(epoch).setSeq(1))).build());
        ServerMessage resumed = again.next(MsgCase.JOINED);
        assertThat(resumed.getJoined().getRecovered()).isTrue();
        assertThat(again.next(MsgCase.EVENT).getEvent().getSeq()).isEqualTo(2);
        assertThat(again.next(MsgCase.EVENT).getEvent().getSeq()).isEqualTo(3);
        bob.cancel();
        again.cancel();
    }

    @Test
    void presencePingAndTokenRefresh() throws Exception {
        String room = "chat.p" + GrpcFixture.nextRoom();
        StreamProbe carol = StreamProbe.connect(server, server.token("carol"));
        carol.join(room);
        carol.next(MsgCase.SNAPSHOT);
        carol.send(ClientMessage.newBuilder().setPresence(PresenceRequest.newBuilder().setRoom(room)).build());
        ServerMessage members = carol.next(m -> m.hasPresence() && m.getPresence().hasMembers());
        assertThat(members.getPresence().getMembers().getMembersList()).extracting(m -> m.getUser()).contains("carol");
        assertThat(members.getPresence().getMembers().getMembers(0).getProtocol()).isEqualTo("grpc");

        StreamProbe dave = StreamProbe.connect(server, server.token("dave"));
        dave.join(room);
        assertThat(carol.next(m -> m.hasPresence() && m.getPresence().hasJoined()).getPresence().getJoined().getUser())
                .isEqualTo("dave");
        dave.cancel();
        assertThat(carol.next(m -> m.hasPresence() && m.getPresence().hasLeft()).getPresence().getLeft().getUser())
                .isEqualTo("dave");

        carol.send(ClientMessage.newBuilder().setPing(PingRequest.getDefaultInstance()).build());
        carol.next(MsgCase.PONG);
        carol.clear();
        carol.send(ClientMessage.newBuilder().setAuth(AuthRequest.newBuilder().setToken(server.token("carol"))).build());
        assertThat(carol.next(MsgCase.AUTHENTICATED).getAuthenticated().getUser()).isEqualTo("carol");
        carol.send(ClientMessage.newBuilder().setAuth(AuthRequest.newBuilder().setToken(server.token("mallory"))).build());
        assertThat(carol.next(MsgCase.ERROR).getError().getCode()).isEqualTo("unauthenticated");
        carol.cancel();
    }

    @Test
    void aStreamCanAuthenticateWithItsFirstMessage() throws Exception {
        StreamProbe p = StreamProbe.connect(server, null);
        p.send(ClientMessage.newBuilder().setAuth(AuthRequest.newBuilder().setToken(server.token("erin"))).build());
        assertThat(p.next(MsgCase.AUTHENTICATED).getAuthenticated().getUser()).isEqualTo("erin");
        p.cancel();
    }

    @Test
    void aRefusedTokenEndsTheStreamUnauthenticated() {
        StreamProbe p = StreamProbe.connect(server, "not-a-jwt");
        Status end = p.awaitEnd();
        assertThat(end.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void errorsAboutOneMessageKeepTheStreamOpen() throws Exception {
        String token = server.token("frank", Map.of("chat.*", List.of("subscribe")));
        StreamProbe p = StreamProbe.connect(server, token);
        p.publish("chat.f" + GrpcFixture.nextRoom(), "message", "{}", "no-scope");
        ServerMessage forbidden = p.next(MsgCase.ERROR);
        assertThat(forbidden.getError().getCode()).isEqualTo("forbidden");
        assertThat(forbidden.getError().getCorrelationId()).isEqualTo("no-scope");
        p.join("nope");
        assertThat(p.next(MsgCase.ERROR).getError().getCode()).isEqualTo("bad_room");
        p.join("nokind.1");
        assertThat(p.next(MsgCase.ERROR).getError().getCode()).isEqualTo("forbidden");
        p.send(ClientMessage.getDefaultInstance());
        assertThat(p.next(MsgCase.ERROR).getError().getCode()).isEqualTo("unknown_op");
        p.send(ClientMessage.newBuilder().setPing(PingRequest.getDefaultInstance()).build());
        p.next(MsgCase.PONG);
        assertThat(p.ended).isNotDone();
        p.cancel();
    }

    @Test
    void unknownRoomKindsAreTypedErrors() throws Exception {
        StreamProbe p = StreamProbe.connect(server, server.token("gina"));
        p.join("nokind.1");
        ServerMessage e = p.next(MsgCase.ERROR);
        assertThat(e.getError().getCode()).isEqualTo("unknown_kind");
        assertThat(e.getError().getRoom()).isEqualTo("nokind.1");
        p.publish("nokind.2", "x", "{}", "k-1");
        assertThat(p.next(MsgCase.ERROR).getError().getCode()).isEqualTo("unknown_kind");
        p.cancel();
        assertThatThrownBy(() -> server.blocking(server.token("gina")).publish(io.playconnect.proto.v1.PublishRequest
                .newBuilder().setRoom("nokind.3").setType("x").setPayload(ByteString.copyFromUtf8("{}")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, s -> {
                    assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(s.getTrailers().get(Statuses.ERROR_CODE)).isEqualTo("unknown_kind");
                });
        assertThat(server.stored(io.playconnect.core.RoomId.parse("nokind.3"))).isEmpty();
    }

    @Test
    void aHalfClosedStreamEndsOnceItsPublishesAreAnswered() throws Exception {
        String room = "chat.h" + GrpcFixture.nextRoom();
        StreamProbe p = StreamProbe.connect(server, server.token("hank"));
        p.publish(room, "message", "{\"text\":\"bye\"}", "h-1");
        p.requests.onCompleted();
        assertThat(p.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        assertThat(p.next(m -> m.hasAck() && m.getAck().getCorrelationId().equals("h-1"))).isNotNull();
    }

    @Test
    void subscribeStreamsJoinsAndEventsReadOnly() throws Exception {
        String room = "chat.s" + GrpcFixture.nextRoom();
        StreamProbe reader = new StreamProbe();
        server.stub(server.token("ivy")).subscribe(SubscribeRequest.newBuilder()
                .addRooms(JoinRequest.newBuilder().setRoom(room)).addRooms(JoinRequest.newBuilder().setRoom("bad"))
                .build(), reader);
        reader.next(MsgCase.SNAPSHOT);
        assertThat(reader.next(MsgCase.ERROR).getError().getCode()).isEqualTo("bad_room");
        server.blocking(server.token("jack")).publish(io.playconnect.proto.v1.PublishRequest.newBuilder().setRoom(room)
                .setType("message").setPayload(ByteString.copyFrom("{\"text\":\"hi\"}", StandardCharsets.UTF_8)).build());
        ServerMessage event = reader.next(MsgCase.EVENT);
        assertThat(event.getEvent().getOrigin().getUser()).isEqualTo("jack");

        StreamProbe anonymous = new StreamProbe();
        server.stub(null).subscribe(SubscribeRequest.newBuilder().addRooms(JoinRequest.newBuilder().setRoom(room)).build(),
                anonymous);
        assertThat(anonymous.awaitEnd().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}
