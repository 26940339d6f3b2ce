package io.playconnect.gateway.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EventFrameTest {

    /** What Netty's own server-side encoder makes of a text frame with this payload. */
    private static byte[] nettyFrame(byte[] payload) {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        ch.writeOutbound(new TextWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(payload)));
        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        return ByteBufUtil.getBytes(all);
    }

    private static byte[] payload(SplittableRandom random, int size) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) ('a' + random.nextInt(26));
        }
        return p;
    }

    @Test
    void theFrameIsByteForByteWhatTheEncoderWouldWrite() {
        int[] edges = {0, 1, 125, 126, 127, 1023, 1024, 65535, 65536, 70000};
        for (int size : edges) {
            byte[] p = payload(new SplittableRandom(size), size);
            ByteBuf frame = EventFrame.ofPayload(p).retainedFrame();
            assertThat(ByteBufUtil.getBytes(frame)).as("payload of %d bytes", size).isEqualTo(nettyFrame(p));
            frame.release();
        }
        for (int i = 0; i < 200; i++) {
            long seed = 0x5eedL + i;
            SplittableRandom random = new SplittableRandom(seed);
            byte[] p = payload(random, random.nextInt(3000));
            ByteBuf frame = EventFrame.ofPayload(p).retainedFrame();
            assertThat(ByteBufUtil.getBytes(frame)).as("seed %d", seed).isEqualTo(nettyFrame(p));
            frame.release();
        }
    }

    @Test
    void everyWriterReleasingItsCopyLeavesTheSharedFrameIntact() {
        byte[] p = "{\"op\":\"event\",\"event\":{}}".getBytes(StandardCharsets.UTF_8);
        EventFrame shared = EventFrame.ofPayload(p);
        for (int i = 0; i < 1000; i++) {
            ByteBuf copy = shared.retainedFrame();
            copy.skipBytes(copy.readableBytes());
            assertThat(copy.release()).isFalse();
        }
        ByteBuf payload = shared.retainedPayload();
        assertThat(payload.toString(StandardCharsets.UTF_8)).isEqualTo(new String(p, StandardCharsets.UTF_8));
        payload.release();
        assertThat(ByteBufUtil.getBytes(shared.retainedFrame())).isEqualTo(nettyFrame(p));
        assertThat(shared.payloadBytes()).isEqualTo(p.length);
    }

    /** The server's frame encoder, noting the payload of every frame it encodes. */
    static final class WatchedEncoder extends WebSocket08FrameEncoder {
        final List<String> encoded = new ArrayList<>();

        WatchedEncoder() {
            super(false);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, WebSocketFrame msg, List<Object> out) throws Exception {
            encoded.add(msg.content().toString(StandardCharsets.UTF_8));
            super.encode(ctx, msg, out);
        }
    }

    @Test
    void anEventGoesOutPastTheEncoderInOrderWithOtherFrames() {
        WatchedEncoder encoder = new WatchedEncoder();
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        AtomicInteger counted = new AtomicInteger();
        writer.onWritten((frames, bytes) -> counted.addAndGet((int) bytes));
        byte[] before = "{\"op\":\"joined\"}".getBytes(StandardCharsets.UTF_8);
        byte[] event = "{\"op\":\"event\",\"event\":{\"seq\":1}}".getBytes(StandardCharsets.UTF_8);
        byte[] after = "{\"op\":\"ack\"}".getBytes(StandardCharsets.UTF_8);
        EventFrame shared = EventFrame.ofPayload(event);
        writer.text(before);
        writer.event(shared);
        writer.text(after);
        ch.runPendingTasks();

        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        ByteBuf expected = io.netty.buffer.Unpooled.buffer()
                .writeBytes(nettyFrame(before)).writeBytes(nettyFrame(event)).writeBytes(nettyFrame(after));
        assertThat(ByteBufUtil.getBytes(all)).isEqualTo(ByteBufUtil.getBytes(expected));
        assertThat(encoder.encoded).as("the event's frame was not encoded again")
                .containsExactly("{\"op\":\"joined\"}", "{\"op\":\"ack\"}");
        assertThat(counted.get()).as("payload bytes, as for any frame").isEqualTo(before.length + event.length + after.length);
        ch.finishAndReleaseAll();
    }

    @Test
    void eventsOfOneRunOnTheLoopAreGatheredIntoOneWriteAndFlushedOnceAfterTheRun() {
        WatchedEncoder encoder = new WatchedEncoder();
        FrameWriterTest.FlushCounter flushes = new FrameWriterTest.FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(flushes, encoder);
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        AtomicInteger frames = new AtomicInteger();
        writer.onWritten((n, bytes) -> frames.addAndGet(n));
        byte[] before = "{\"op\":\"joined\"}".getBytes(StandardCharsets.UTF_8);
        byte[] e1 = "{\"op\":\"event\",\"event\":{\"seq\":1}}".getBytes(StandardCharsets.UTF_8);
        byte[] e2 = "{\"op\":\"event\",\"event\":{\"seq\":2}}".getBytes(StandardCharsets.UTF_8);
        byte[] after = "{\"op\":\"ack\"}".getBytes(StandardCharsets.UTF_8);
        // The embedded channel's loop is the test thread: these calls are "on the loop", as the edge makes them.
        writer.textInRun(before);
        writer.eventInRun(EventFrame.ofPayload(e1));
        writer.eventInRun(EventFrame.ofPayload(e2));
        writer.textInRun(after);
        writer.flush();
        writer.flush();
        assertThat(flushes.flushes).as("nothing is flushed before the loop's flush task").isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.runPendingTasks();

        List<ByteBuf> writes = new ArrayList<>();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            writes.add(b);
        }
        assertThat(writes).as("joined, both events in one buffer, ack").hasSize(3);
        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        writes.forEach(b -> {
            all.writeBytes(b);
            b.release();
        });
        ByteBuf expected = io.netty.buffer.Unpooled.buffer().writeBytes(nettyFrame(before))
                .writeBytes(nettyFrame(e1)).writeBytes(nettyFrame(e2)).writeBytes(nettyFrame(after));
        assertThat(ByteBufUtil.getBytes(all)).isEqualTo(ByteBufUtil.getBytes(expected));
        assertThat(flushes.flushes).isEqualTo(1);
        assertThat(frames.get()).isEqualTo(4);
        ch.finishAndReleaseAll();
    }

    @Test
    void aRunThatFindsFramesQueuedFromOtherThreadsQueuesBehindThem() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        byte[] first = "{\"op\":\"authenticated\"}".getBytes(StandardCharsets.UTF_8);
        byte[] event = "{\"op\":\"event\"}".getBytes(StandardCharsets.UTF_8);
        Thread other = new Thread(() -> writer.text(first));
        other.start();
        other.join();
        writer.eventInRun(EventFrame.ofPayload(event));
        writer.flush();
        ch.runPendingTasks();
        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        ByteBuf expected = io.netty.buffer.Unpooled.buffer().writeBytes(nettyFrame(first)).writeBytes(nettyFrame(event));
        assertThat(ByteBufUtil.getBytes(all)).isEqualTo(ByteBufUtil.getBytes(expected));
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutAFrameEncoderTheEventIsAnOrdinaryTextFrame() {
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        byte[] event = "{\"op\":\"event\"}".getBytes(StandardCharsets.UTF_8);
        writer.event(EventFrame.ofPayload(event));
        ch.runPendingTasks();
        TextWebSocketFrame f = ch.readOutbound();
        assertThat(f.text()).isEqualTo("{\"op\":\"event\"}");
        f.release();
    }
}
