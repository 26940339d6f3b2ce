package io.playconnect.broker.nats;

import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.PullRequestOptions;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerCreateRequest;
import io.nats.client.api.ConsumerInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a run of stream messages through a short-lived ephemeral pull consumer: subscribe an inbox,
 * create the consumer, pull without waiting until the limit is reached or nothing is pending, then
 * delete the consumer. Everything is asynchronous; the consumer's inactivity threshold removes it
 * even if the delete is lost. Messages arrive on one dispatcher thread, in stream order.
 */
final class BatchFetch implements MessageHandler {
    private static final int PULL_BATCH = 1000;
    private final JsApi api;
    private final String stream;
    private final int limit;
    private final CompletableFuture<List<Message>> result = new CompletableFuture<>();
    private final List<Message> received = new ArrayList<>();
    private final String inbox;
    private volatile String consumer;
    private volatile Subscription subscription;
    private int outstanding;

    private BatchFetch(JsApi api, String stream, int limit) {
        this.api = api;
        this.stream = stream;
        this.limit = limit;
        this.inbox = api.connection.createInbox();
    }

    /** Up to {@code limit} messages the consumer {@code config} delivers, in stream order. */
    static CompletableFuture<List<Message>> fetch(JsApi api, Dispatcher dispatcher, String stream,
                                                  ConsumerConfiguration config, int limit) {
        BatchFetch f = new BatchFetch(api, stream, limit);
        try {
            f.subscription = dispatcher.subscribe(f.inbox, f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] create = new ConsumerCreateRequest(stream, config).serialize();
        api.request("CONSUMER.CREATE." + stream, create).thenAccept(f::created)
                .exceptionally(e -> {
                    f.result.completeExceptionally(e);
                    return null;
                });
        f.result.orTimeout(api.timeout().toNanos() * 2, TimeUnit.NANOSECONDS)
                .whenComplete((v, e) -> f.cleanUp(dispatcher));
        return f.result;
    }

    private void created(Message reply) {
        ConsumerInfo info = new ConsumerInfo(reply);
        if (info.hasError()) {
            result.completeExceptionally(new JetStreamApiException(info));
            return;
        }
        consumer = info.getName();
        synchronized (this) {
            pull(Math.min(limit, PULL_BATCH));
        }
    }

    private void pull(int batch) {
        outstanding = batch;
        byte[] body = PullRequestOptions.builder(batch).noWait().build().serialize();
        api.connection.publish("$JS.API.CONSUMER.MSG.NEXT." + stream + "." + consumer, inbox, body);
    }

    @Override
    public synchronized void onMessage(Message m) {
        if (result.isDone()) {
            return;
        }
        if (m.isStatusMessage()) {
            int code = m.getStatus().getCode();
            if (code == 404 || code == 408) {
                result.complete(List.copyOf(received));
            } else {
                result.completeExceptionally(new IllegalStateException("pull from " + stream + " failed: "
                        + m.getStatus().getMessageWithCode()));
            }
            return;
        }
        if (!m.isJetStream()) {
            return;
        }
        received.add(m);
        outstanding--;
        if (received.size() >= limit || m.metaData().pendingCount() == 0) {
            result.complete(List.copyOf(received));
        } else if (outstanding == 0) {
            pull(Math.min(limit - received.size(), PULL_BATCH));
        }
    }

    private void cleanUp(Dispatcher dispatcher) {
        Subscription s = subscription;
        if (s != null && s.isActive()) {
            try {
                dispatcher.unsubscribe(s);
            } catch (RuntimeException e) {
                // The connection closed: the subscription is gone with it.
            }
        }
        String name = consumer;
        if (name != null) {
            api.forget("CONSUMER.DELETE." + stream + "." + name, new byte[0]);
        }
    }
}
