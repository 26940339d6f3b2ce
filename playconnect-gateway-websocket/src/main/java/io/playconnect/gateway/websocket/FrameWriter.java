package io.playconnect.gateway.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one way out to a connection. Any thread may queue text frames and a close; the connection's
 * event loop writes everything queued in one task and flushes once, so a burst of events costs one
 * syscall rather than one per frame. Called on the event loop itself (the edge drains the
 * session's queue there) with nothing queued, a frame is written at once and sent by the next
 * {@link #flush()} (one per event loop round, {@link LoopFlusher}), without a hand-off. Text frame
 * bytes are wrapped, not copied; an event's whole frame ({@link EventFrame}) is built once for every
 * subscriber, and the event frames between two flushes are appended to one pooled buffer, so a
 * flush is one socket write. After a close frame nothing more is written, and the TCP connection
 * is cut when the close frame has left or after {@code closeTimeout}, whichever comes first.
 */
final class FrameWriter {
    private record Close(int code, String reason) {
    }

    /** Gathered event bytes are handed to the channel at the latest at this size, so its backpressure sees them. */
    private static final int GATHER_LIMIT = 16 * 1024;
    private static final int GATHER_INITIAL = 1024;

    /** Counts frames that went out: how many and their payload bytes, once per flush. */
    interface WrittenCounter {
        void written(int frames, long bytes);
    }

    private final Channel channel;
    private final Duration closeTimeout;
    private final Queue<Object> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Counts the frames that go out; set once the session exists. */
    private volatile WrittenCounter written = (frames, bytes) -> { };
    /** Touched on the event loop only. */
    private boolean closing;
    /** Frames written but not yet flushed, and their payload bytes (event loop only). */
    private int unflushedFrames;
    private long unflushedBytes;
    /** This writer waits in its loop's {@link LoopFlusher} (event loop only). */
    private boolean flushRequested;
    /**
     * Event frames written since the last spill, copied one after another into one pooled buffer
     * (event loop only): a copy of a small frame costs less than a buffer entry per frame, and the
     * shared frame's reference count is never touched from two loops at once.
     */
    private ByteBuf gathered;
    /** The connection's frame encoder, once found (event loop only). */
    private ChannelHandlerContext encoder;

    FrameWriter(Channel channel, Duration closeTimeout) {
        this.channel = channel;
        this.closeTimeout = closeTimeout;
    }

    void onWritten(WrittenCounter counter) {
        this.written = counter;
    }

    /** Queues one text frame; {@code utf8} must not change afterwards (it may be shared). */
    void text(byte[] utf8) {
        pending.add(utf8);
        schedule();
    }

    /** Queues one pre-encoded event frame, shared with other connections. */
    void event(EventFrame frame) {
        pending.add(frame);
        schedule();
    }

    /**
     * A text frame from a run of calls that ends with {@link #flush()}: on the event loop with
     * nothing queued it is written at once, else queued as {@link #text}.
     */
    void textInRun(byte[] utf8) {
        if (canWriteNow()) {
            writeText(utf8);
        } else {
            text(utf8);
        }
    }

    /** An event frame from a run of calls that ends with {@link #flush()}; see {@link #textInRun}. */
    void eventInRun(EventFrame frame) {
        if (canWriteNow()) {
            writeEvent(frame);
        } else {
            event(frame);
        }
    }

    /**
     * Ends a run of calls (on the event loop; elsewhere nothing to do): what the run wrote goes out
     * with the loop's next round of flushes ({@link LoopFlusher}), together with what later runs
     * already queued on the loop write to this connection.
     */
    void flush() {
        if (unflushedFrames > 0 && !flushRequested && channel.eventLoop().inEventLoop()) {
            flushRequested = true;
            LoopFlusher.later(this, channel.eventLoop());
        }
    }

    /** On the event loop, from {@link LoopFlusher}: sends what was written since the last flush. */
    void flushNow() {
        flushRequested = false;
        if (unflushedFrames > 0) {
            spill();
            // Counted before the flush, so the meters never lag what a client has seen.
            reportWritten();
            channel.flush();
        }
    }

    /** On the event loop with nothing queued before it: a frame may skip the queue without reordering. */
    private boolean canWriteNow() {
        return channel.eventLoop().inEventLoop() && pending.isEmpty() && !closing && channel.isActive();
    }

    /** Queues a close after everything queued before it. */
    void close(int code, String reason) {
        pending.add(new Close(code, CloseCodes.truncateReason(reason)));
        schedule();
    }

    /** On the event loop: writes a control frame now (ping, pong) unless closing. */
    void control(WebSocketFrame frame) {
        if (closing || !channel.isActive()) {
            ReferenceCountUtil.release(frame);
            return;
        }
        int size = frame.content().readableBytes();
        spill();
        unflushedFrames++;
        unflushedBytes += size;
        reportWritten();
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** On the event loop: sends this close frame now, dropping whatever is still queued. */
    void closeNow(int code, String reason) {
        closeNow(new CloseWebSocketFrame(code, CloseCodes.truncateReason(reason)));
    }

    /** On the event loop: sends {@code frame} (echoing a client's close, say) and ends the connection. */
    void closeNow(CloseWebSocketFrame frame) {
        if (closing) {
            frame.release();
            return;
        }
        closing = true;
        pending.clear();
        if (!channel.isActive()) {
            frame.release();
            releaseGathered();
            return;
        }
        int size = frame.content().readableBytes();
        spill();
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        unflushedFrames++;
        unflushedBytes += size;
        reportWritten();
        // A peer that stopped reading never lets the close frame leave: cut the connection anyway.
        channel.eventLoop().schedule(() -> channel.close(), closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    java.util.concurrent.Executor eventLoop() {
        return channel.eventLoop();
    }

    /** Whether a close frame has been sent (event loop only). */
    boolean closing() {
        return closing;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down with the connection: nothing can be written anyway.
                pending.clear();
            }
        }
    }

    private void drain() {
        // Cleared first: a frame queued after the loop below still schedules its own drain.
        scheduled.set(false);
        boolean wrote = false;
        Object item;
        while ((item = pending.poll()) != null) {
            if (closing || !channel.isActive()) {
                continue;
            }
            if (item instanceof byte[] utf8) {
                writeText(utf8);
                wrote = true;
            } else if (item instanceof EventFrame frame) {
                writeEvent(frame);
                wrote = true;
            } else if (item instanceof Close close) {
                closeNow(close.code(), close.reason());
                wrote = false;
            }
        }
        if (wrote) {
            spill();
            reportWritten();
            channel.flush();
        }
    }

    private void writeText(byte[] utf8) {
        spill();
        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
        unflushedFrames++;
        unflushedBytes += utf8.length;
    }

    private void reportWritten() {
        written.written(unflushedFrames, unflushedBytes);
        unflushedFrames = 0;
        unflushedBytes = 0;
    }

    /**
     * Writes the frame's bytes from the frame encoder's place in the pipeline towards the socket:
     * they are already a frame, and every other frame passes that same point in write order.
     */
    private void writeEvent(EventFrame frame) {
        if (encoder() != null) {
            if (gathered == null) {
                gathered = channel.alloc().directBuffer(Math.max(GATHER_INITIAL, frame.frameBytes()));
            }
            frame.copyTo(gathered);
            if (gathered.readableBytes() >= GATHER_LIMIT) {
                spill();
            }
        } else {
            spill();
            channel.write(new TextWebSocketFrame(frame.retainedPayload()), channel.voidPromise());
        }
        unflushedFrames++;
        unflushedBytes += frame.payloadBytes();
    }

    /** Hands the gathered event frames to the channel, before anything written after them. */
    private void spill() {
        ByteBuf g = gathered;
        if (g == null) {
            return;
        }
        gathered = null;
        if (!channel.isActive()) {
            g.release();
            return;
        }
        ChannelHandlerContext enc = encoder();
        if (enc != null) {
            enc.write(g, channel.voidPromise());
        } else {
            channel.write(g, channel.voidPromise());
        }
    }

    private void releaseGathered() {
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }

    /** The connection's frame encoder: complete frames are written from its place in the pipeline. */
    private ChannelHandlerContext encoder() {
        ChannelHandlerContext enc = encoder;
        if (enc == null || enc.isRemoved()) {
            enc = encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
        }
        return enc;
    }

    /** The UTF-8 size of a close frame's reason plus its two-byte code. */
    static int closeFrameBytes(String reason) {
        return 2 + reason.getBytes(StandardCharsets.UTF_8).length;
    }
}
