package io.playconnect.gateway.websocket;

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
import java.util.function.IntConsumer;

/**
 * The one way out to a connection. Any thread may queue text frames and a close; the connection's
 * event loop writes everything queued in one task and flushes once, so a burst of events costs one
 * syscall rather than one per frame. Frame bytes are wrapped, not copied, and an event's whole
 * frame ({@link EventFrame}) is built once and shared by every subscriber. After a close frame nothing more is written, and the TCP connection
 * is cut when the close frame has left or after {@code closeTimeout}, whichever comes first.
 */
final class FrameWriter {
    private record Close(int code, String reason) {
    }

    private final Channel channel;
    private final Duration closeTimeout;
    private final Queue<Object> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Counts each frame that goes out (bytes of payload); set once the session exists. */
    private volatile IntConsumer written = bytes -> { };
    /** Touched on the event loop only. */
    private boolean closing;
    /** The connection's frame encoder, once found (event loop only). */
    private ChannelHandlerContext encoder;

    FrameWriter(Channel channel, Duration closeTimeout) {
        this.channel = channel;
        this.closeTimeout = closeTimeout;
    }

    void onWritten(IntConsumer counter) {
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
        channel.writeAndFlush(frame, channel.voidPromise());
        written.accept(size);
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
            return;
        }
        int size = frame.content().readableBytes();
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        written.accept(size);
        // A peer that stopped reading never lets the close frame leave: cut the connection anyway.
        channel.eventLoop().schedule(() -> channel.close(), closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
                channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
                written.accept(utf8.length);
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
            channel.flush();
        }
    }

    /**
     * Writes the frame's bytes from the frame encoder's place in the pipeline towards the socket:
     * they are already a frame, and every other frame passes that same point in write order.
     */
    private void writeEvent(EventFrame frame) {
        ChannelHandlerContext enc = encoder;
        if (enc == null || enc.isRemoved()) {
            enc = encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
        }
        if (enc != null) {
            enc.write(frame.retainedFrame(), channel.voidPromise());
        } else {
            channel.write(new TextWebSocketFrame(frame.retainedPayload()), channel.voidPromise());
        }
        written.accept(frame.payloadBytes());
    }

    /** The UTF-8 size of a close frame's reason plus its two-byte code. */
    static int closeFrameBytes(String reason) {
        return 2 + reason.getBytes(StandardCharsets.UTF_8).length;
    }
}
