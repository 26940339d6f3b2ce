package io.playconnect.gateway.grpc;

import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;

import java.util.concurrent.Executor;

/**
 * The Netty event loop a streaming call runs on. The gateway's server uses grpc's direct executor,
 * so a call starts on its connection's event loop; naming that loop as the call's
 * {@link io.playconnect.edge.SessionOutput#executor()} lets the edge hand each room event to the
 * loop once for all of its streams, and grpc-java then frames and queues the message on the thread
 * that writes it (its buffer allocator's thread cache, no cross-thread write queue hand-off).
 */
final class CallLoop {
    private CallLoop() {
    }

    /** The event loop of the calling thread, or null off a Netty loop (the edge then uses its own threads). */
    static Executor current() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null && loop.inEventLoop() ? loop : null;
    }
}
