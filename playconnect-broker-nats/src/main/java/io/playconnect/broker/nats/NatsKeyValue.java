package io.playconnect.broker.nats;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.KvEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A NATS KV bucket, spoken to directly: a write is a JetStream publish to {@code $KV.<bucket>.<key>}
 * (compare-and-set with the expected last subject sequence, which is the key's revision), a read
 * is a last-message-by-subject get, a delete is a delete marker, and the bucket's MaxAge is the
 * TTL. All asynchronous; jnats' own KeyValue blocks the caller.
 */
final class NatsKeyValue implements KeyValue {
    /** Room left in a bucket's message size for the headers of a compare-and-set or a delete. */
    static final int HEADER_ALLOWANCE = 128;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_=-]+(\\.[A-Za-z0-9_=-]+)*");
    private static final String OPERATION = "KV-Operation";
    private static final Duration CONSUMER_IDLE = Duration.ofSeconds(30);
    private final KeyValueConfig config;
    private final String natsBucket;
    private final String stream;
    private final String subjectPrefix;
    private final BucketBinder binder;
    private final JetStreamBroker broker;
    private final JsApi api;
    private final Dispatcher dispatcher;
    private volatile CompletableFuture<Integer> binding;

    NatsKeyValue(KeyValueConfig config, String natsBucket, BucketBinder binder, JetStreamBroker broker, JsApi api,
                 Dispatcher dispatcher) {
        this.config = config;
        this.natsBucket = natsBucket;
        this.stream = "KV_" + natsBucket;
        this.subjectPrefix = "$KV." + natsBucket + ".";
        this.binder = binder;
        this.broker = broker;
        this.api = api;
        this.dispatcher = dispatcher;
        this.binding = binder.bind(natsBucket, config);
    }

    /** The bucket's value limit once bound; a failed binding is tried again by the next operation. */
    private synchronized CompletableFuture<Integer> bound() {
        CompletableFuture<Integer> b = binding;
        if (b.isCompletedExceptionally()) {
            b = binder.bind(natsBucket, config);
            binding = b;
        }
        return b;
    }

    @Override
    public String bucket() {
        return config.bucket();
    }

    @Override
    public CompletableFuture<Optional<KvEntry>> get(String key) {
        return run("get", limit -> last(checkKey(key)).thenApply(found -> found.filter(m -> !deleted(m))
                .map(m -> new KvEntry(key, m.getData() == null ? new byte[0] : m.getData(), m.getSeq(),
                        m.getTime().toInstant().toEpochMilli()))));
    }

    private CompletableFuture<Optional<MessageInfo>> last(String key) {
        return api.get(stream, MessageGetRequest.lastForSubject(subjectPrefix + key));
    }

    private static boolean deleted(MessageInfo m) {
        Headers h = m.getHeaders();
        String op = h == null ? null : h.getLast(OPERATION);
        return "DEL".equals(op) || "PURGE".equals(op);
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value) {
        return run("put", limit -> write(checkKey(key), checkValue(value, limit), null));
    }

    @Override
    public CompletableFuture<Long> create(String key, byte[] value) {
        return run("create", limit -> {
            String k = checkKey(key);
            byte[] v = checkValue(value, limit);
            // A deleted key still has its delete marker as last message: create over that one.
            return write(k, v, 0L).handle((rev, err) -> err == null || !stale(err)
                    ? completed(rev, err)
                    : last(k).thenCompose(m -> m.isPresent() && deleted(m.get())
                            ? write(k, v, m.get().getSeq()) : CompletableFuture.<Long>failedFuture(err)))
                    .thenCompose(f -> f);
        });
    }

    @Override
    public CompletableFuture<Long> update(String key, byte[] value, long expectedRevision) {
        return run("update", limit -> {
            if (expectedRevision < 1) {
                throw new BrokerException(Reason.KEY_EXISTS_OR_STALE, "no key has revision " + expectedRevision);
            }
            return write(checkKey(key), checkValue(value, limit), expectedRevision);
        });
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return run("delete", limit -> {
            Headers h = new Headers().put(OPERATION, "DEL");
            return api.publish(subjectPrefix + checkKey(key), h, new byte[0]).thenApply(ack -> (Void) null);
        });
    }

    @Override
    public CompletableFuture<List<String>> keys() {
        return run("keys", limit -> {
            ConsumerConfiguration config = ConsumerConfiguration.builder()
                    .filterSubject(subjectPrefix + ">").deliverPolicy(DeliverPolicy.LastPerSubject)
                    .headersOnly(true).ackPolicy(AckPolicy.None).inactiveThreshold(CONSUMER_IDLE)
                    .memStorage(true).build();
            return BatchFetch.fetch(api, dispatcher, stream, config, Integer.MAX_VALUE).thenApply(this::liveKeys);
        });
    }

    private List<String> liveKeys(List<Message> messages) {
        List<String> keys = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Headers h = m.getHeaders();
            String op = h == null ? null : h.getLast(OPERATION);
            if (!"DEL".equals(op) && !"PURGE".equals(op) && m.getSubject().startsWith(subjectPrefix)) {
                keys.add(m.getSubject().substring(subjectPrefix.length()));
            }
        }
        return keys;
    }

    /** Publishes a value; with {@code expectedRevision} only if the key's last message has it (0: none). */
    private CompletableFuture<Long> write(String key, byte[] value, Long expectedRevision) {
        Headers h = null;
        if (expectedRevision != null) {
            h = new Headers().put(LogEntries.EXPECTED_SUBJECT_SEQ, Long.toString(expectedRevision));
        }
        return api.publish(subjectPrefix + key, h, value.clone()).thenApply(ack -> ack.getSeqno());
    }

    private static boolean stale(Throwable err) {
        return Errors.apiCode(err) == Errors.WRONG_LAST_SEQUENCE;
    }

    private static <T> CompletableFuture<T> completed(T value, Throwable err) {
        return err == null ? CompletableFuture.completedFuture(value) : CompletableFuture.failedFuture(err);
    }

    /**
     * Runs an operation once the bucket is bound, with its value limit; bad arguments, a closed
     * broker and the server's refusals fail the future.
     */
    private <T> CompletableFuture<T> run(String what, Function<Integer, CompletableFuture<T>> op) {
        try {
            broker.checkOpen();
            return bound().thenCompose(op).handle((v, err) -> err == null ? CompletableFuture.completedFuture(v)
                    : CompletableFuture.<T>failedFuture(failure(what, err))).thenCompose(f -> f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Throwable failure(String what, Throwable err) {
        if (stale(err)) {
            return new BrokerException(Reason.KEY_EXISTS_OR_STALE, what + " in bucket " + bucket()
                    + ": the key exists or has another revision", Errors.unwrap(err));
        }
        return Errors.map(err, what + " in bucket " + bucket());
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024 || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must be dot-separated tokens of letters, digits, '-', '_' "
                    + "and '=': " + SubjectRules.quote(key));
        }
        return key;
    }

    private byte[] checkValue(byte[] value, int limit) {
        Objects.requireNonNull(value, "value");
        if (value.length > limit) {
            throw new BrokerException(Reason.TOO_LARGE, "value of " + value.length + " bytes exceeds bucket "
                    + bucket() + "'s maximum of " + limit);
        }
        return value;
    }
}
