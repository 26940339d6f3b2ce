package io.playconnect.broker.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous JetStream calls the broker makes on its hot paths. jnats' management API
 * blocks, so message gets and consumer calls go out as plain requests to the JetStream API
 * subjects and their answers are parsed with jnats' own response types. Every future fails after
 * the request timeout.
 */
final class JsApi {
    private static final String API = "$JS.API.";
    final Connection connection;
    private final JetStream jetStream;
    private final Duration timeout;

    JsApi(Connection connection, JetStream jetStream, Duration timeout) {
        this.connection = connection;
        this.jetStream = jetStream;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Sends a request to the JetStream API subject {@code $JS.API.<api>}. */
    CompletableFuture<Message> request(String api, byte[] body) {
        try {
            return connection.requestWithTimeout(API + api, null, body, timeout)
                    .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Publishes to JetStream; completes with the server's acknowledgement. */
    CompletableFuture<PublishAck> publish(String subject, Headers headers, byte[] data) {
        try {
            return jetStream.publishAsync(subject, headers, data)
                    .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The stream message a get request names, or empty when there is none. */
    CompletableFuture<Optional<MessageInfo>> get(String stream, MessageGetRequest request) {
        return request("STREAM.MSG.GET." + stream, request.serialize()).thenApply(reply -> {
            MessageInfo info = new MessageInfo(reply, stream, false);
            if (!info.hasError()) {
                return Optional.of(info);
            }
            if (info.getApiErrorCode() == Errors.NO_MESSAGE) {
                return Optional.empty();
            }
            throw new IllegalStateException(new JetStreamApiException(info));
        });
    }

    /** Fires a request whose answer nobody needs, such as deleting a finished consumer. */
    void forget(String api, byte[] body) {
        try {
            connection.publish(API + api, body);
        } catch (RuntimeException e) {
            // Closed meanwhile: the server drops what it would have cleaned up on its own.
        }
    }
}
