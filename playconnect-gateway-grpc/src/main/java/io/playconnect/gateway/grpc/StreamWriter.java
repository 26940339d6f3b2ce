package io.playconnect.gateway.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.playconnect.edge.EdgeSession;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way out to a streaming call. Any thread may queue frames and a close; whichever thread
 * finds the writer idle writes everything queued, so the call's observer is never used by two
 * threads at once and nobody waits for a lock. Writing stops while grpc-java says the stream is not
 * ready (the client is not reading, HTTP/2 flow control is closed): the edge is told
 * {@code writable(false)} and keeps the session's messages in its own bounded queue, closing a
 * client that stays behind as a slow consumer. The ready callback resumes writing.
 */
final class StreamWriter {
    private record Close(StatusRuntimeException status) {
    }

    private final ServerCallStreamObserver<Frame> call;
    private final Queue<Object> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile EdgeSession session;
    /** A close is queued: what is before it goes out whatever the readiness, so the close is not held up. */
    private volatile boolean closing;
    /** A close that skips everything queued (slow consumer, cancellation). */
    private volatile Close abort;
    private volatile boolean done;
    /** Owned by the draining thread. */
    private boolean paused;

    StreamWriter(ServerCallStreamObserver<Frame> call) {
        this.call = call;
        call.setOnReadyHandler(this::drain);
    }

    void attach(EdgeSession edgeSession) {
        this.session = edgeSession;
        drain();
    }

    /** Queues one frame; the frame may be shared with other calls. */
    void write(Frame frame) {
        if (!done) {
            pending.add(frame);
            drain();
        }
    }

    /** Ends the call after what is already queued: OK for null, else with that status. */
    void close(StatusRuntimeException statusOrNull) {
        closing = true;
        pending.add(new Close(statusOrNull));
        drain();
    }

    /** Ends the call now, dropping whatever is queued. */
    void closeNow(StatusRuntimeException statusOrNull) {
        abort = new Close(statusOrNull);
        drain();
    }

    /** The client went away (cancel, deadline): nothing more is written. */
    void cancelled() {
        done = true;
        drain();
    }

    boolean isDone() {
        return done;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            drainQueued();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainQueued() {
        if (done) {
            pending.clear();
            return;
        }
        Close now = abort;
        if (now != null) {
            pending.clear();
            finish(now);
            return;
        }
        Object item;
        while ((item = pending.peek()) != null) {
            if (item instanceof Close c) {
                pending.clear();
                finish(c);
                return;
            }
            if (!closing && !call.isReady()) {
                pause();
                return;
            }
            pending.poll();
            send((Frame) item);
            if (done) {
                pending.clear();
                return;
            }
        }
        if (paused && call.isReady()) {
            resume();
        }
    }

    private void send(Frame frame) {
        try {
            call.onNext(frame);
        } catch (RuntimeException e) {
            // Cancelled under us: the cancel handler closes the session.
            done = true;
            return;
        }
        EdgeSession s = session;
        if (s != null) {
            s.frameWritten(frame.size());
        }
    }

    private void finish(Close close) {
        done = true;
        try {
            if (close.status() == null) {
                call.onCompleted();
            } else {
                call.onError(close.status());
            }
        } catch (RuntimeException e) {
            // Already cancelled or closed: there is nobody to tell.
        }
    }

    private void pause() {
        EdgeSession s = session;
        if (!paused && s != null) {
            paused = true;
            s.writable(false);
        }
    }

    private void resume() {
        EdgeSession s = session;
        if (paused && s != null) {
            paused = false;
            s.writable(true);
        }
    }
}
