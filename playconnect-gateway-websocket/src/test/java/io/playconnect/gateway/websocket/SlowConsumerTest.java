package io.playconnect.gateway.websocket;

import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.edge.EdgeMetrics;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that joins and then never reads is disconnected once its bounded queue overflows; the
 * server's heap does not grow with the flood, and a normal client in the same room misses nothing.
 */
class SlowConsumerTest {
    static final int EVENTS = 1500;
    static final long HEAP_GROWTH_BOUND = 64L << 20;

    @Test
    void aClientThatStopsReadingIsCutOffAndNobodyElsePays() throws Exception {
        try (GatewayFixture fx = GatewayFixture.newBuilder()
                .limits(l -> l.messagesPerSecond(100_000).messageBurst(100_000).bytesPerSecond(256L << 20)
                        .outboundQueueMessages(256).outboundQueueBytes(1L << 20))
                // Without a cap the kernel alone may buffer megabytes for the stalled client.
                .options(Map.of("socket-send-buffer", "32768"))
                // A short log keeps the heap comparison about connections, not about stored history.
                .roomLog(RoomLogConfig.newBuilder().maxRecordsPerRoom(100).build())
                .build()) {
            String room = Rooms.chat();
            String text = "x".repeat(2000);
            long heapBefore = usedHeapAfterGc();

            RawWs slow = RawWs.connect(fx.wsUri, "/ws?token=" + fx.token("slow"), Map.of(), 4096);
            assertThat(slow.response.status()).isEqualTo(101);
            slow.sendText(Rooms.join(room));
            // Reads up to its joined message, then never again.
            while (!slow.nextMessage().op().equals("joined")) {
                assertThat(slow.response.status()).isEqualTo(101);
            }
            try (WsClient normal = fx.connect("normal"); WsClient publisher = fx.connect("publisher")) {
                long from = Rooms.joinFresh(normal, room).number("seq");
                for (int i = 1; i <= EVENTS; i++) {
                    Rooms.say(publisher, room, text, "flood-" + i);
                }

                await().atMost(Duration.ofSeconds(20)).until(() -> fx.counter(EdgeMetrics.SLOW_CONSUMER_DROPS,
                        EdgeMetrics.TAG_PROTOCOL, WebSocketGateway.PROTOCOL) >= 1);
                assertThat(slow.awaitCloseCode()).isIn(CloseCodes.SLOW_CONSUMER, -1);

                assertThat(normal.events(room, EVENTS)).extracting(Msg::eventSeq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(from + 1, from + EVENTS).boxed().toList());
                assertThat(normal.closed()).isNotDone();
            } finally {
                slow.close();
            }
            long heapAfter = usedHeapAfterGc();
            System.out.printf("slow consumer: used heap %d KiB before, %d KiB after %d events of %d bytes%n",
                    heapBefore >> 10, heapAfter >> 10, EVENTS, text.length());
            assertThat(heapAfter - heapBefore).isLessThan(HEAP_GROWTH_BOUND);
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
