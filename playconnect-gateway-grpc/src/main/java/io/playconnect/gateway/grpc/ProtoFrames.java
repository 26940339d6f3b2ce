package io.playconnect.gateway.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.Member;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.EncodingKey;
import io.playconnect.edge.OutboundEvent;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.auth.Principal;
import io.playconnect.proto.v1.Ack;
import io.playconnect.proto.v1.Authenticated;
import io.playconnect.proto.v1.Error;
import io.playconnect.proto.v1.Event;
import io.playconnect.proto.v1.Joined;
import io.playconnect.proto.v1.Members;
import io.playconnect.proto.v1.Origin;
import io.playconnect.proto.v1.Pong;
import io.playconnect.proto.v1.Presence;
import io.playconnect.proto.v1.ServerMessage;
import io.playconnect.proto.v1.Snapshot;

import java.util.List;

/**
 * Turns what the edge says into {@code ServerMessage} frames. Each stored event becomes one frame,
 * made by whichever session meets it first and shared by every gRPC subscriber of the process.
 */
final class ProtoFrames {
    /** The event frame, once per event for the whole gateway. */
    static final EncodingKey<Frame> EVENT_FRAME = EncodingKey.create(GrpcGateway.PROTOCOL);
    static final Frame PONG = Frame.of(ServerMessage.newBuilder().setPong(Pong.getDefaultInstance()).build());

    private static final EnvelopeCodec CODEC = EnvelopeCodec.instance();

    private ProtoFrames() {
    }

    static Frame event(OutboundEvent event) {
        return event.encoded(EVENT_FRAME, ProtoFrames::eventFrame);
    }

    /** The stored envelope JSON as an {@code Event} message; the payload bytes are the stored ones. */
    static Frame eventFrame(byte[] envelope) {
        return Frame.of(ServerMessage.newBuilder().setEvent(toProto(CODEC.decodeEvent(envelope))).build());
    }

    static Event toProto(io.playconnect.core.Event e) {
        Event.Builder b = Event.newBuilder()
                .setV(io.playconnect.core.Event.VERSION)
                .setId(e.id())
                .setType(e.type())
                .setRoom(e.room().value())
                .setSeq(e.seq())
                .setEpoch(e.epoch())
                .setTs(e.ts())
                .setPayload(UnsafeByteOperations.unsafeWrap(e.payload()));
        if (e.correlationId() != null) {
            b.setCorrelationId(e.correlationId());
        }
        if (e.traceparent() != null) {
            b.setTraceparent(e.traceparent());
        }
        if (e.origin() != null) {
            b.setOrigin(Origin.newBuilder().setProtocol(e.origin().protocol()).setUser(e.origin().user()));
        }
        return b.build();
    }

    static Frame joined(RoomId room, String epoch, long seq, boolean recovered) {
        return Frame.of(ServerMessage.newBuilder().setJoined(Joined.newBuilder().setRoom(room.value())
                .setEpoch(epoch).setSeq(seq).setRecovered(recovered)).build());
    }

    static Frame snapshot(RoomSnapshot s) {
        return Frame.of(ServerMessage.newBuilder().setSnapshot(snapshotMessage(s)).build());
    }

    static Snapshot snapshotMessage(RoomSnapshot s) {
        return Snapshot.newBuilder().setRoom(s.room().value()).setEpoch(s.epoch()).setSeq(s.seq())
                .setState(UnsafeByteOperations.unsafeWrap(s.state())).build();
    }

    static Frame ack(String correlationId, RoomId room, String epoch, long seq) {
        return Frame.of(ServerMessage.newBuilder().setAck(Ack.newBuilder().setCorrelationId(correlationId)
                .setRoom(room.value()).setEpoch(epoch).setSeq(seq)).build());
    }

    static Frame error(EdgeError e) {
        Error.Builder b = Error.newBuilder().setCode(e.code().wireName()).setMessage(e.message()).setRetry(e.retry());
        if (e.correlationId() != null) {
            b.setCorrelationId(e.correlationId());
        }
        if (e.room() != null) {
            b.setRoom(e.room().value());
        }
        return Frame.of(ServerMessage.newBuilder().setError(b).build());
    }

    static Frame presence(RoomId room, PresenceUpdate update) {
        Presence.Builder b = Presence.newBuilder().setRoom(room.value());
        if (update instanceof PresenceUpdate.Members m) {
            b.setMembers(Members.newBuilder().addAllMembers(members(m.members())));
        } else if (update instanceof PresenceUpdate.Joined j) {
            b.setJoined(member(j.member()));
        } else if (update instanceof PresenceUpdate.Left l) {
            b.setLeft(member(l.member()));
        }
        return Frame.of(ServerMessage.newBuilder().setPresence(b).build());
    }

    static Frame authenticated(Principal principal) {
        return Frame.of(ServerMessage.newBuilder().setAuthenticated(Authenticated.newBuilder()
                .setUser(principal.user()).setExpiresAt(principal.expiresAt().toEpochMilli())).build());
    }

    static List<io.playconnect.proto.v1.Member> members(List<Member> members) {
        return members.stream().map(ProtoFrames::member).toList();
    }

    static io.playconnect.proto.v1.Member member(Member m) {
        return io.playconnect.proto.v1.Member.newBuilder().setUser(m.user()).setConnectionId(m.connectionId())
                .setProtocol(m.protocol()).setJoinedAt(m.joinedAt()).build();
    }
}
