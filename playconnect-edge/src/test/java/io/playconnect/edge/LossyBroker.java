package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A view of a real broker whose live record delivery loses the records a predicate picks (as a
 * dropped message would), while the log itself keeps them. Counts live subscriptions.
 */
final class LossyBroker implements Broker {
    private final Broker real;
    private final Predicate<LogRecord> drop;
    final AtomicInteger liveSubscriptions = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    LossyBroker(Broker real, Predicate<LogRecord> drop) {
        this.real = real;
        this.drop = drop;
    }

    @Override
    public void publish(String subject, byte[] data) {
        real.publish(subject, data);
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return real.subscribe(subject, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        return real.subscribe(subject, queueGroup, handler);
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        return real.request(subject, data, timeout);
    }

    @Override
    public RoomLog roomLog() {
        RoomLog log = real.roomLog();
        return new RoomLog() {
            @Override
            public CompletableFuture<LogInfo> info(RoomId room) {
                return log.info(room);
            }

            @Override
            public CompletableFuture<Void> append(LogRecord record, long expectedLastSeq) {
                return log.append(record, expectedLastSeq);
            }

            @Override
            public CompletableFuture<List<LogRecord>> read(RoomId room, long fromSeq, int max) {
                return log.read(room, fromSeq, max);
            }

            @Override
            public CompletableFuture<LogInfo> reset(RoomId room, long nextSeq) {
                return log.reset(room, nextSeq);
            }

            @Override
            public Subscription subscribe(RoomId room, RecordListener listener) {
                liveSubscriptions.incrementAndGet();
                Subscription s = log.subscribe(room, r -> {
                    if (drop.test(r)) {
                        dropped.incrementAndGet();
                    } else {
                        listener.onRecord(r);
                    }
                });
                return () -> {
                    liveSubscriptions.decrementAndGet();
                    s.close();
                };
            }
        };
    }

    @Override
    public KeyValue keyValue(KeyValueConfig config) {
        return real.keyValue(config);
    }

    @Override
    public int maxMessageSize() {
        return real.maxMessageSize();
    }

    @Override
    public void close() {
        // The harness closes the real broker.
    }
}
