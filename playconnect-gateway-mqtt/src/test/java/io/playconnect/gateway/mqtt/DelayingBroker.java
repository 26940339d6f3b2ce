package io.playconnect.gateway.mqtt;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.Message;
import io.playconnect.testkit.ForwardingBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The edge's view of the broker with the engine's answers to some commands held back: a request
 * whose body contains {@code marker} completes {@code delay} later, so commands to different rooms
 * are answered out of the order they were sent.
 */
final class DelayingBroker extends ForwardingBroker {
    private final String marker;
    private final Executor later;

    DelayingBroker(Broker delegate, String marker, Duration delay) {
        super(delegate);
        this.marker = marker;
        this.later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        CompletableFuture<Message> answer = delegate().request(subject, data, timeout);
        if (!new String(data, StandardCharsets.UTF_8).contains(marker)) {
            return answer;
        }
        return answer.thenApplyAsync(m -> m, later);
    }
}
