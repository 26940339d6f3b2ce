package io.playconnect.gateway.grpc;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A broker in front of the real one that holds every request (the edge's commands to the engine)
 * until {@link #release()}: a test sees how many commands are in flight at once, then lets the
 * engine answer them. Everything else passes straight through.
 */
final class HeldBroker implements Broker {
    private final Broker delegate;
    private final List<Runnable> held = new ArrayList<>();
    private boolean released;

    HeldBroker(Broker delegate) {
        this.delegate = delegate;
    }

    /** Requests waiting to be sent on. */
    synchronized int held() {
        return held.size();
    }

    /** Sends on what is held, and from now on every request at once. */
    void release() {
        List<Runnable> now;
        synchronized (this) {
            released = true;
            now = new ArrayList<>(held);
            held.clear();
        }
        now.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        Runnable send = () -> delegate.request(subject, data, timeout).whenComplete((m, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(m);
            }
        });
        synchronized (this) {
            if (!released) {
                held.add(send);
                return answer;
            }
        }
        send.run();
        return answer;
    }

    @Override
    public void publish(String subject, byte[] data) {
        delegate.publish(subject, data);
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return delegate.subscribe(subject, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        return delegate.subscribe(subject, queueGroup, handler);
    }

    @Override
    public RoomLog roomLog() {
        return delegate.roomLog();
    }

    @Override
    public KeyValue keyValue(KeyValueConfig config) {
        return delegate.keyValue(config);
    }

    @Override
    public int maxMessageSize() {
        return delegate.maxMessageSize();
    }

    @Override
    public void close() {
        // The fixture closes the real broker.
    }
}
