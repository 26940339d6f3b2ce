package io.playconnect.broker.memory;

import io.playconnect.core.spi.Message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for its reply. Whoever takes the future first (the responder, a publish to
 * the inbox, the timer or the broker's close) completes it; everyone else finds it gone. Taking it
 * also lets go of the future, so a finished request left in the timer's queue holds no reply data.
 */
final class PendingRequest {
    private static final VarHandle FUTURE;

    static {
        try {
            FUTURE = MethodHandles.lookup().findVarHandle(PendingRequest.class, "future", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long id;
    final String subject;
    final long deadlineNanos;
    final long timeoutNanos;
    private final Inboxes inboxes;
    private volatile CompletableFuture<Message> future;
    private volatile boolean registered;

    PendingRequest(long id, String subject, long deadlineNanos, long timeoutNanos, Inboxes inboxes,
            CompletableFuture<Message> future) {
        this.id = id;
        this.subject = subject;
        this.deadlineNanos = deadlineNanos;
        this.timeoutNanos = timeoutNanos;
        this.inboxes = inboxes;
        this.future = future;
    }

    boolean isDone() {
        return future == null;
    }

    /** The reply subject; naming it makes the request reachable by a publish to that subject. */
    String replyTo() {
        if (!registered) {
            registered = true;
            inboxes.register(this);
            if (isDone()) {
                inboxes.unregister(this);
            }
        }
        return inboxName();
    }

    /** The reply subject, without making the request reachable by it. */
    String inboxName() {
        return inboxes.subjectOf(id);
    }

    boolean complete(Message reply) {
        CompletableFuture<Message> f = take();
        if (f == null) {
            return false;
        }
        f.complete(reply);
        return true;
    }

    boolean fail(Throwable error) {
        CompletableFuture<Message> f = take();
        if (f == null) {
            return false;
        }
        f.completeExceptionally(error);
        return true;
    }

    private CompletableFuture<Message> take() {
        CompletableFuture<Message> f = future;
        while (f != null && !FUTURE.compareAndSet(this, f, null)) {
            f = future;
        }
        if (f != null && registered) {
            inboxes.unregister(this);
        }
        return f;
    }
}
