package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.playconnect.edge.EdgeMetrics;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.ServerMessage;
import io.playconnect.proto.v1.ServerMessage.MsgCase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One Event frame per stored record, whatever the number of gRPC subscribers. */
class EncodeOnceTest {
    private static final int SUBSCRIBERS = 5;
    private static final int EVENTS = 10;

    @Test
    void eachEventIsEncodedOnceForEverySubscriber() throws Exception {
        try (GrpcFixture server = GrpcFixture.start()) {
            String room = "chat.once" + GrpcFixture.nextRoom();
            List<StreamProbe> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                StreamProbe p = StreamProbe.connect(server, server.token("s" + i));
                p.join(room);
                p.next(MsgCase.SNAPSHOT);
                subscribers.add(p);
            }
            double before = server.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, "grpc");
            for (int i = 0; i < EVENTS; i++) {
                server.blocking(server.token("w")).publish(PublishRequest.newBuilder().setRoom(room).setType("message")
                        .setPayload(ByteString.copyFromUtf8("{\"text\":\"n" + i + "\"}")).build());
            }
            List<ServerMessage> firstSeen = new ArrayList<>();
            for (StreamProbe p : subscribers) {
                for (int seq = 1; seq <= EVENTS; seq++) {
                    ServerMessage m = p.next(MsgCase.EVENT);
                    assertThat(m.getEvent().getSeq()).isEqualTo(seq);
                    if (p == subscribers.get(0)) {
                        firstSeen.add(m);
                    } else {
                        assertThat(m).as("every subscriber gets the same message").isEqualTo(firstSeen.get(seq - 1));
                    }
                }
                p.cancel();
            }
            assertThat(server.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, "grpc") - before)
                    .as("encodes for " + EVENTS + " events and " + SUBSCRIBERS + " subscribers").isEqualTo(EVENTS);
            assertThat(server.counter(EdgeMetrics.DELIVERIES, EdgeMetrics.TAG_PROTOCOL, "grpc"))
                    .isGreaterThanOrEqualTo(EVENTS * SUBSCRIBERS);
        }
    }

    @Test
    void theSharedFrameIsTheSerializedServerMessage() throws Exception {
        byte[] envelope = ("{\"v\":1,\"id\":\"ep-3\",\"type\":\"chat.message\",\"room\":\"chat.x\",\"seq\":3,\"epoch\":\"ep\","
                + "\"ts\":17,\"correlationId\":\"c\",\"traceparent\":null,\"origin\":{\"protocol\":\"mqtt\",\"user\":\"u\"},"
                + "\"payload\":{\"text\" : 1}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Frame frame = ProtoFrames.eventFrame(envelope);
        ServerMessage parsed = ServerMessage.newBuilder().mergeFrom(ByteString.copyFrom(frame.bytes())).build();
        assertThat(parsed.getEvent().getSeq()).isEqualTo(3);
        assertThat(parsed.getEvent().getTraceparent()).isEmpty();
        assertThat(parsed.getEvent().getOrigin().getProtocol()).isEqualTo("mqtt");
        assertThat(parsed.getEvent().getPayload().toStringUtf8()).isEqualTo("{\"text\" : 1}");
    }
}
