package io.playconnect.gateway.grpc;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.Message;
import io.playconnect.testkit.ForwardingBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A broker in front of the real one that holds every request (the edge's commands to the engine)
 * until {@link #release()}: a test sees how many commands are in flight at once, then lets the
 * engine answer them. Everything else passes straight through.
 */
final class HeldBroker extends ForwardingBroker {
    private final List<Runnable> held = new ArrayList<>();
    private boolean released;

    HeldBroker(Broker delegate) {
        super(delegate);
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
        Runnable send = () -> delegate().request(subject, data, timeout).whenComplete((m, e) -> {
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
}
