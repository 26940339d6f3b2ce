package io.playconnect.gateway.websocket;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One event loop's pending flushes. A writer that wrote during a run of edge calls asks for a flush
 * here instead of flushing at once; the flush runs as a task queued behind whatever the loop already
 * has to do. While events arrive faster than the loop writes them, the drains of several events run
 * before that task, and each connection gets all of them in one socket write instead of one write
 * per event. On a quiet loop the task runs next, so an event waits for nothing but the loop itself.
 * Each instance belongs to one event loop thread and is touched only there.
 */
final class LoopFlusher implements Runnable {
    private static final FastThreadLocal<LoopFlusher> CURRENT = new FastThreadLocal<>() {
        @Override
        protected LoopFlusher initialValue() {
            return new LoopFlusher();
        }
    };

    private List<FrameWriter> waiting = new ArrayList<>();
    private List<FrameWriter> flushing = new ArrayList<>();
    private boolean scheduled;

    private LoopFlusher() {
    }

    /** On {@code loop}'s own thread: flush {@code writer} once the tasks queued so far have run. */
    static void later(FrameWriter writer, Executor loop) {
        CURRENT.get().add(writer, loop);
    }

    private void add(FrameWriter writer, Executor loop) {
        waiting.add(writer);
        if (!scheduled) {
            scheduled = true;
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down with its connections: nothing more goes out anyway.
                scheduled = false;
                waiting.clear();
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        // Swapped first: a flush may trigger writes that ask for a flush of their own.
        List<FrameWriter> now = waiting;
        waiting = flushing;
        flushing = now;
        for (int i = 0; i < now.size(); i++) {
            now.get(i).flushNow();
        }
        now.clear();
    }
}
