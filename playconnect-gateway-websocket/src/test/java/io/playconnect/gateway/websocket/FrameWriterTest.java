package io.playconnect.gateway.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FrameWriterTest {

    /** Counts flushes on their way to the socket. */
    static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void framesQueuedTogetherGoOutInOrderWithOneFlush() throws Exception {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        AtomicInteger counted = new AtomicInteger();
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        writer.onWritten((frames, bytes) -> counted.addAndGet((int) bytes));
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                writer.text(utf8("{\"n\":" + i + "}"));
            }
        });
        producer.start();
        producer.join();
        ch.runPendingTasks();

        List<String> out = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            TextWebSocketFrame f = (TextWebSocketFrame) o;
            out.add(f.text());
            f.release();
        }
        assertThat(out).hasSize(50).startsWith("{\"n\":0}").endsWith("{\"n\":49}");
        assertThat(counter.flushes).isEqualTo(1);
        assertThat(counted.get()).isEqualTo(out.stream().mapToInt(s -> s.length()).sum());
    }

    @Test
    void sharedBytesAreWrappedNotCopied() {
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        byte[] shared = utf8("{\"op\":\"event\"}");
        writer.text(shared);
        writer.text(shared);
        ch.runPendingTasks();
        TextWebSocketFrame a = ch.readOutbound();
        TextWebSocketFrame b = ch.readOutbound();
        assertThat(a.content().hasArray() && a.content().array() == shared).isTrue();
        assertThat(b.content().array()).isSameAs(shared);
        a.release();
        b.release();
    }

    @Test
    void aQueuedCloseComesAfterEarlierFramesAndEndsEverything() {
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameWriter writer = new FrameWriter(ch, Duration.ofSeconds(1));
        writer.text(utf8("{\"op\":\"error\"}"));
        writer.close(CloseCodes.SLOW_CONSUMER, "x".repeat(300));
        writer.text(utf8("{\"op\":\"late\"}"));
        ch.runPendingTasks();

        TextWebSocketFrame error = ch.readOutbound();
        assertThat(error.text()).isEqualTo("{\"op\":\"error\"}");
        error.release();
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(close.reasonText()).hasSize(CloseCodes.MAX_REASON_BYTES);
        close.release();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(writer.closing()).isTrue();

        writer.control(new PingWebSocketFrame());
        assertThat((Object) ch.readOutbound()).isNull();
    }
}
