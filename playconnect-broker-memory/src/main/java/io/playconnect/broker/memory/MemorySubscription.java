package io.playconnect.broker.memory;

import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.Subscription;

/** A subscription in the {@link SubjectTrie}; closing it removes it and stops delivery at once. */
final class MemorySubscription implements Subscription {
    final String[] tokens;
    final String queueGroup;
    private final MessageHandler handler;
    private final SubjectTrie trie;
    private final HandlerFailures failures;
    private volatile boolean closed;

    MemorySubscription(String[] tokens, String queueGroup, MessageHandler handler, SubjectTrie trie,
            HandlerFailures failures) {
        this.tokens = tokens;
        this.queueGroup = queueGroup;
        this.handler = handler;
        this.trie = trie;
        this.failures = failures;
    }

    /** Calls the handler unless closed; returns whether it was called. */
    boolean deliver(Message message) {
        if (closed) {
            return false;
        }
        try {
            handler.onMessage(message);
        } catch (Throwable t) {
            failures.record("message handler on " + String.join(".", tokens), t);
        }
        return true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks closed without touching the trie; for the broker's own close. */
    void markClosed() {
        closed = true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            trie.remove(this);
        }
    }
}
