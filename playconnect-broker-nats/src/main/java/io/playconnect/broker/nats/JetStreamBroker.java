package io.playconnect.broker.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.Subscription;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Broker} on NATS JetStream: live messages on core NATS, room logs on one JetStream
 * stream, key-value buckets on NATS KV. Connect with {@link #connect(JetStreamBrokerOptions)}.
 *
 * <p><b>Threads.</b> Handlers and record listeners run on the broker's dispatcher threads (jnats
 * dispatchers; each subscription stays on one, so it sees its messages in order). Futures complete
 * on jnats threads or, on a timeout, on the broker's deadline thread ({@link Deadlines}). A handler that throws is counted
 * ({@link #handlerFailures()}) and logged; delivery goes on.
 *
 * <p><b>Blocking.</b> {@link #connect} and {@link #keyValue} talk to the server before they return,
 * and {@link #subscribe} waits for the server to confirm the subscription (one round trip), so
 * that a message published right after it returns reaches it. Everything else is asynchronous.
 */
public final class JetStreamBroker implements Broker {
    private static final System.Logger LOG = System.getLogger(JetStreamBroker.class.getName());
    private final JetStreamBrokerOptions options;
    private final Names names;
    private final Connection connection;
    private final JsApi api;
    private final Dispatcher[] dispatchers;
    private final Dispatcher internal;
    private final AtomicInteger nextDispatcher = new AtomicInteger();
    private final JetStreamRoomLog roomLog;
    private final ConcurrentHashMap<String, NatsKeyValue> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final int maxMessageSize;
    private final BucketBinder binder;
    private final Deadlines deadlines;

    private JetStreamBroker(JetStreamBrokerOptions options, Names names, Connection connection) {
        this.options = options;
        this.names = names;
        this.connection = connection;
        this.deadlines = new Deadlines("pc-nats-deadlines-" + options.connectionName());
        this.api = new JsApi(connection, options.requestTimeout(), deadlines);
        this.maxMessageSize = (int) Math.min(connection.getMaxPayload(), Integer.MAX_VALUE);
        this.dispatchers = new Dispatcher[options.dispatchers()];
        for (int i = 0; i < dispatchers.length; i++) {
            dispatchers[i] = connection.createDispatcher();
        }
        this.internal = connection.createDispatcher();
        this.roomLog = new JetStreamRoomLog(this, api, names);
        this.roomLog.reader().dispatcher(internal);
        this.binder = new BucketBinder(api, maxMessageSize, options.storageType(), options.replicas());
    }

    /**
     * Connects, checks that the server runs JetStream, and creates the room-log stream (or checks an
     * existing one). Fails with {@link Reason#UNAVAILABLE} when the server cannot be reached or has no
     * JetStream, and with an {@link IllegalStateException} when the stream exists with other settings
     * or the options ask for replicas the server cannot fence safely.
     */
    public static JetStreamBroker connect(JetStreamBrokerOptions options) {
        Objects.requireNonNull(options, "options");
        Names names = new Names(options.tenant(), options.streamName());
        Connection nc = open(options, names);
        try {
            checkServer(nc, options);
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.getAccountStatistics();
            StreamSetup.ensure(jsm, StreamSetup.desired(names, options));
            return new JetStreamBroker(options, names, nc);
        } catch (IOException | JetStreamApiException e) {
            closeQuietly(nc);
            throw new BrokerException(Reason.UNAVAILABLE, "JetStream at " + options.url() + " is not usable: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(nc);
            throw e;
        }
    }

    private static Connection open(JetStreamBrokerOptions options, Names names) {
        Options natsOptions = new Options.Builder()
                .server(options.url())
                .connectionName(options.connectionName())
                .inboxPrefix(names.inboxPrefix())
                .reportNoResponders()
                // requestCleanupInterval stays at jnats' 5 s: jnats 2.22 also uses it as the time a
                // publish may wait for the outgoing queue's lock, and a short one (tried: 25 ms, to
                // time requests out without a JDK timer task each) refused publishes ("Output queue
                // is full 0") whenever the writer thread was descheduled while holding that lock.
                .maxReconnects(-1)
                .errorListener(new LoggingErrorListener())
                .build();
        try {
            return Nats.connect(natsOptions);
        } catch (IOException e) {
            throw new BrokerException(Reason.UNAVAILABLE, "cannot connect to NATS at " + options.url() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(Reason.UNAVAILABLE, "interrupted while connecting to " + options.url(), e);
        }
    }

    private static void checkServer(Connection nc, JetStreamBrokerOptions options) {
        if (!nc.getServerInfo().isHeadersSupported()) {
            throw new IllegalStateException("NATS at " + options.url()
                    + " does not support headers; need 2.2 or newer");
        }
        if (options.replicas() > 1 && nc.getServerInfo().isOlderThanVersion("2.9.21")) {
            throw new IllegalStateException("replicas " + options.replicas() + " need nats-server 2.9.21 or newer "
                    + "(expected-sequence checks are not safe on replicated streams before it); the server is "
                    + nc.getServerInfo().getVersion());
        }
    }

    public JetStreamBrokerOptions options() {
        return options;
    }

    /**
     * True while the client holds a connection to a NATS server; false while it reconnects (jnats
     * retries for ever) and after {@link #close()}. For a gauge and an alert, not for decisions.
     */
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    /** How many handler or listener calls have thrown since the broker connected. */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    Names names() {
        return names;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void publish(String subject, byte[] data) {
        SubjectRules.subject(subject);
        if (Names.reserved(subject)) {
            throw new IllegalArgumentException("subject " + SubjectRules.quote(subject)
                    + " is reserved for room logs; append through roomLog()");
        }
        publishRaw(names.subject(subject), data);
    }

    /** Publishes to a subject as the server names it. */
    void publishRaw(String serverSubject, byte[] data) {
        checkOpen();
        checkSize(data);
        try {
            connection.publish(serverSubject, data);
        } catch (IllegalStateException e) {
            throw new BrokerException(Reason.UNAVAILABLE, "the NATS connection is closed", e);
        }
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return subscribe(subject, null, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        SubjectRules.pattern(subject);
        SubjectRules.queueGroup(queueGroup);
        Objects.requireNonNull(handler, "handler");
        return subscribeRaw(names.subject(subject), queueGroup,
                m -> handler.onMessage(new NatsDelivery(this, m)),
                "handler of " + subject);
    }

    /** Subscribes to a subject as the server names it; returns once the server has the subscription. */
    Subscription subscribeRaw(String serverSubject, String queueGroup, io.nats.client.MessageHandler handler,
                              String what) {
        checkOpen();
        Dispatcher d = dispatchers[Math.floorMod(nextDispatcher.getAndIncrement(), dispatchers.length)];
        NatsSubscription sub = new NatsSubscription(d);
        io.nats.client.MessageHandler guarded = m -> {
            if (sub.isClosed()) {
                return;
            }
            try {
                handler.onMessage(m);
            } catch (Throwable t) {
                handlerFailures.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, what + " failed", t);
            }
        };
        try {
            sub.bind(queueGroup == null ? d.subscribe(serverSubject, guarded)
                    : d.subscribe(serverSubject, queueGroup, guarded));
            connection.flush(options.requestTimeout());
            return sub;
        } catch (TimeoutException | IllegalStateException e) {
            sub.close();
            throw new BrokerException(Reason.UNAVAILABLE, "the server did not confirm the subscription to "
                    + serverSubject + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sub.close();
            throw new BrokerException(Reason.UNAVAILABLE, "interrupted while subscribing to " + serverSubject, e);
        }
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        try {
            SubjectRules.subject(subject);
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            checkOpen();
            checkSize(data);
            String serverSubject = names.subject(subject);
            return deadlines.within(connection.requestWithTimeout(serverSubject, null, data, timeout), timeout)
                    .handle((reply, err) -> {
                        if (err != null) {
                            throw new CompletionException(Errors.map(err, "request to " + subject));
                        }
                        return (Message) new NatsDelivery(this, reply);
                    });
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new BrokerException(Reason.UNAVAILABLE,
                    "the NATS connection is closed", e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public RoomLog roomLog() {
        return roomLog;
    }

    /**
     * The NATS KV bucket {@code <tenant>_<bucket>}, created on first use with the config's TTL (the
     * stream's max age) and value size, one value per key, the broker's storage and replicas.
     * Binding an existing bucket keeps the settings it was created with. Returns at once: the
     * bucket is looked up (and created) in the background, and its first operations wait for that.
     */
    @Override
    public KeyValue keyValue(KeyValueConfig config) {
        Objects.requireNonNull(config, "config");
        checkOpen();
        return buckets.computeIfAbsent(config.bucket(), b -> new NatsKeyValue(config, names.bucket(b), binder, this,
                api, internal));
    }

    void checkOpen() {
        if (closed.get()) {
            throw new BrokerException(Reason.UNAVAILABLE, "the broker is closed");
        }
    }

    private void checkSize(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > maxMessageSize) {
            throw new BrokerException(Reason.TOO_LARGE, "message of " + data.length
                    + " bytes exceeds the server's max_payload of " + maxMessageSize);
        }
    }

    /** Closes the connection; requests still waiting fail with {@link Reason#UNAVAILABLE}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(connection);
            deadlines.close();
        }
    }

    private static void closeQuietly(Connection nc) {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "JetStreamBroker[" + options.url() + ", stream " + names.stream() + (closed.get() ? ", closed]" : "]");
    }

    /** Sends jnats' error reports to the system logger instead of standard output. */
    private static final class LoggingErrorListener implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.log(System.Logger.Level.WARNING, "NATS error: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.log(System.Logger.Level.WARNING, "NATS exception", exp);
        }

        /** Messages were dropped for a subscriber that fell behind; room-log readers see a seq gap. */
        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            LOG.log(System.Logger.Level.WARNING, "NATS dropped messages for a slow subscriber: "
                    + consumer.getDroppedCount() + " dropped so far");
        }
    }
}
