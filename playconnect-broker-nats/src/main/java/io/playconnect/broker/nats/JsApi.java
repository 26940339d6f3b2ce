package io.playconnect.broker.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The asynchronous JetStream calls the broker makes on its hot paths. jnats' management API
 * blocks, so message gets and consumer calls go out as plain requests to the JetStream API
 * subjects and their answers are parsed with jnats' own response types. Publishes go out the same
 * way rather than through {@code JetStream.publishAsync}, whose future in jnats 2.22 times out only
 * at its request sweep (every 5 s) and adds an options merge and a future per append. Every future
 * fails after the request timeout ({@link Deadlines}).
 */
final class JsApi {
    private static final String API = "$JS.API.";
    private static final int NO_RESPONDERS = 503;
    final Connection connection;
    private final Duration timeout;
    private final Deadlines deadlines;

    JsApi(Connection connection, Duration timeout, Deadlines deadlines) {
        this.connection = connection;
        this.timeout = timeout;
        this.deadlines = deadlines;
    }

    Duration timeout() {
        return timeout;
    }

    /** Sends a request to the JetStream API subject {@code $JS.API.<api>}. */
    CompletableFuture<Message> request(String api, byte[] body) {
        try {
            return deadlines.within(connection.requestWithTimeout(API + api, null, body, timeout), timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Publishes to JetStream; completes with the server's acknowledgement, or fails with the
     * server's API error (a refused fence is {@link JetStreamApiException} 10071), or with an
     * {@link IOException} when no stream takes the subject (the server's "no responders").
     */
    CompletableFuture<PublishAck> publish(String subject, Headers headers, byte[] data) {
        try {
            return deadlines.within(connection.requestWithTimeout(subject, headers, data, timeout), timeout)
                    .handle(JsApi::ack);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static PublishAck ack(Message reply, Throwable err) {
        if (err != null) {
            Throwable c = Errors.unwrap(err);
            if (c instanceof JetStreamStatusException s && s.getStatus().getCode() == NO_RESPONDERS) {
                throw new CompletionException(new IOException("no stream stores the subject (no responders)", c));
            }
            throw err instanceof CompletionException ce ? ce : new CompletionException(err);
        }
        try {
            return new PublishAck(reply);
        } catch (IOException | JetStreamApiException e) {
            throw new CompletionException(e);
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
