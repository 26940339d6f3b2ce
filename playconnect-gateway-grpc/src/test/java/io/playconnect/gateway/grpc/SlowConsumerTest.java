package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.playconnect.edge.EdgeMetrics;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.ServerMessage;
import io.playconnect.proto.v1.ServerMessage.MsgCase;
import io.playconnect.proto.v1.SyncServiceGrpc;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams that never read: the client asks for no messages, so HTTP/2 flow control stops the
 * server's writes. The gateway stops writing when the stream is not ready, the edge queues a bounded
 * amount and then closes each such session as a slow consumer; a reading stream in the same room
 * gets every event in order, and the heap stays flat.
 */
class SlowConsumerTest {
    private static final int STALLED = 4;
    private static final int EVENTS = 160;
    private static final int PAYLOAD = 16 * 1024;

    @Test
    void streamsThatNeverReadAreCutOffAndOthersAreUnaffected() throws Exception {
        try (GrpcFixture server = GrpcFixture.newBuilder()
                .limits(l -> l.outboundQueueMessages(32).outboundQueueBytes(512 * 1024)
                        .bytesPerSecond(64 * 1024 * 1024)).build()) {
            String room = "chat.slow" + GrpcFixture.nextRoom();
            String token = server.token("reader");
            StreamProbe healthy = StreamProbe.connect(server, token);
            healthy.join(room);
            healthy.next(MsgCase.SNAPSHOT);

            long heapBefore = usedHeapAfterGc();
            List<ClientCall<byte[], byte[]>> stalled = new ArrayList<>();
            ManagedChannel channel = server.channel();
            for (int i = 0; i < STALLED; i++) {
                stalled.add(neverReading(channel, token, room));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.edge.sessionCount() >= STALLED + 1);

            byte[] text = new byte[PAYLOAD];
            Arrays.fill(text, (byte) 'x');
            // Chat allows fields beside text: the bulk rides in one of them.
            String payload = "{\"text\":\"bulk\",\"blob\":\""
                    + new String(text, java.nio.charset.StandardCharsets.US_ASCII) + "\"}";
            SyncServiceGrpc.SyncServiceBlockingStub publisher = server.blocking(server.token("writer"));
            for (int i = 0; i < EVENTS; i++) {
                publisher.publish(PublishRequest.newBuilder().setRoom(room).setType("message")
                        .setPayload(ByteString.copyFromUtf8(payload)).build());
            }
            for (long seq = 1; seq <= EVENTS; seq++) {
                long expected = seq;
                ServerMessage event = healthy.next(m -> m.hasEvent());
                assertThat(event.getEvent().getSeq()).as("the reading stream gets every event in order").isEqualTo(expected);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    server.counter(EdgeMetrics.SLOW_CONSUMER_DROPS, EdgeMetrics.TAG_PROTOCOL, "grpc"))
                    .isEqualTo(STALLED));
            // Only the healthy stream and the publisher's service session are left.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.edge.sessionCount() == 2);
            long heapAfter = usedHeapAfterGc();
            // Generous: the clients of this test (same JVM) hold what they were sent but never read.
            assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(48L * 1024 * 1024);
            assertThat(healthy.ended).isNotDone();
            stalled.forEach(c -> c.cancel("done", null));
            healthy.cancel();
        }
    }

    /** A Connect stream that joins the room and never asks for a single message. */
    private static ClientCall<byte[], byte[]> neverReading(ManagedChannel channel, String token, String room) {
        ClientCall<byte[], byte[]> call = channel.newCall(
                BadInputTest.raw("Connect", MethodDescriptor.MethodType.BIDI_STREAMING),
                io.grpc.CallOptions.DEFAULT.withCallCredentials(GrpcFixture.bearer(token)));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.sendMessage(ClientMessage.newBuilder().setJoin(JoinRequest.newBuilder().setRoom(room)).build().toByteArray());
        return call;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
