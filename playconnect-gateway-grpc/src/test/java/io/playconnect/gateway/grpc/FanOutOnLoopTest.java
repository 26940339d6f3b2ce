package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.stub.StreamObserver;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.ServerMessage.MsgCase;
import io.playconnect.proto.v1.SyncServiceGrpc;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams are written on their call's event loop ({@link CallLoop}): the edge hands each event to a
 * loop once for all of its streams, and every stream still gets every event once, in seq order.
 */
class FanOutOnLoopTest {
    private static final int SUBSCRIBERS = 12;
    private static final int EVENTS = 40;

    @Test
    void theCallLoopIsTheNettyLoopRunningTheCallAndNothingElsewhere() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            EventLoop loop = group.next();
            Executor seen = loop.submit(CallLoop::current).get(10, TimeUnit.SECONDS);
            assertThat(seen).isSameAs(loop);
            assertThat(CallLoop.current()).as("off a loop: the edge's threads").isNull();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyStreamGetsEveryEventOnceInOrder() throws Exception {
        try (GrpcFixture server = GrpcFixture.start()) {
            String room = "chat.loopfanout" + GrpcFixture.nextRoom();
            List<StreamProbe> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                StreamProbe p = StreamProbe.connect(server, server.token("s" + i));
                p.join(room);
                p.next(MsgCase.SNAPSHOT);
                subscribers.add(p);
            }
            SyncServiceGrpc.SyncServiceStub publisher = server.stub(server.token("w"));
            AtomicInteger answered = new AtomicInteger();
            for (int i = 0; i < EVENTS; i++) {
                publisher.withDeadlineAfter(20, TimeUnit.SECONDS).publish(PublishRequest.newBuilder().setRoom(room)
                        .setType("message").setPayload(ByteString.copyFromUtf8("{\"text\":\"n" + i + "\"}")).build(),
                        new Counting(answered));
            }
            for (StreamProbe p : subscribers) {
                for (int seq = 1; seq <= EVENTS; seq++) {
                    assertThat(p.next(MsgCase.EVENT).getEvent().getSeq()).isEqualTo(seq);
                }
            }
            await().until(() -> answered.get() == EVENTS);
            subscribers.forEach(StreamProbe::cancel);
        }
    }

    private record Counting(AtomicInteger answered) implements StreamObserver<PublishResponse> {
        @Override
        public void onNext(PublishResponse value) {
        }

        @Override
        public void onError(Throwable t) {
            answered.incrementAndGet();
        }

        @Override
        public void onCompleted() {
            answered.incrementAndGet();
        }
    }
}
