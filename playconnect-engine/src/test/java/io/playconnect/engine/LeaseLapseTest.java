package io.playconnect.engine;

import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Partitioner;
import io.playconnect.core.RoomId;
import io.playconnect.core.Subjects;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.KvEntry;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine that cannot reach the lease store (as if paused, or cut off) must stop appending and
 * acking on its own clock before another engine can own its partition, even though it never heard
 * that it lost the lease.
 */
class LeaseLapseTest {
    private static final Duration TTL = Duration.ofMillis(600);

    @Test
    void anEngineWhoseLeaseLapsedAppendsAndAcksNothing() {
        InMemoryBroker broker = InMemoryBroker.create();
        AtomicBoolean cutOff = new AtomicBoolean();
        AtomicBoolean lapsed = new AtomicBoolean();
        AtomicInteger staleAcks = new AtomicInteger();
        SyncEngine stale = SyncEngine.newBuilder().broker(new LeaseCutOff(broker, cutOff)).partitions(1).leaseTtl(TTL)
                .listener(new EngineListener() {
                    @Override
                    public void onCommand(RoomId room, String type, CommandResult result, long nanos) {
                        if (lapsed.get() && result instanceof CommandResult.Accepted) {
                            staleAcks.incrementAndGet();
                        }
                    }
                }).build();
        SyncEngine successor = null;
        try {
            stale.start().join();
            CommandSender sender = new CommandSender(broker, new Partitioner(1));
            RoomId room = RoomId.parse("chat.lapse");
            assertThat(send(sender, "c0")).isInstanceOf(CommandResult.Accepted.class);

            cutOff.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> send(sender, "probe") instanceof CommandResult.Rejected r
                    && r.code() == ErrorCode.NO_OWNER);
            lapsed.set(true);
            long before = broker.roomLog().info(room).join().lastSeq();
            assertThat(send(sender, "refused")).isInstanceOf(CommandResult.Rejected.class);
            assertThat(broker.roomLog().info(room).join().lastSeq()).as("nothing appended after the lapse").isEqualTo(before);

            successor = SyncEngine.newBuilder().broker(broker).partitions(1).leaseTtl(TTL).build();
            successor.start().join();
            for (int i = 1; i <= 20; i++) {
                String id = "c" + i;
                await().atMost(Duration.ofSeconds(10)).until(() -> send(sender, id) instanceof CommandResult.Accepted);
            }
            List<LogRecord> log = broker.roomLog().read(room, 1, 100).join();
            assertThat(log).extracting(LogRecord::seq)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
            List<String> ids = log.stream().map(r -> io.playconnect.core.codec.EnvelopeCodec.instance().decodeEvent(r.data())
                    .correlationId()).toList();
            assertThat(ids).doesNotHaveDuplicates().contains("c0", "c1", "c10", "c20").doesNotContain("refused");
            assertThat(ids.stream().filter(id -> id.matches("c\\d+"))).hasSize(21);
            assertThat(staleAcks).hasValue(0);
            assertThat(stale.ownedPartitions()).as("it never heard it lost the lease").containsExactly(0);
        } finally {
            stale.close();
            if (successor != null) {
                successor.close();
            }
            broker.close();
        }
    }

    private static CommandResult send(CommandSender sender, String correlationId) {
        return sender.send(EngineHarness.command("chat.lapse", "chat.message", "{\"text\":\"" + correlationId + "\"}",
                "alice", correlationId), Duration.ofSeconds(5)).join();
    }

    /** The broker as one engine sees it: while cut off, its lease writes never get an answer. */
    private record LeaseCutOff(Broker broker, AtomicBoolean cutOff) implements Broker {
        @Override
        public KeyValue keyValue(KeyValueConfig config) {
            KeyValue kv = broker.keyValue(config);
            return config.bucket().equals(Subjects.LEASE_BUCKET) ? new Silent(kv, cutOff) : kv;
        }

        @Override
        public void publish(String subject, byte[] data) {
            broker.publish(subject, data);
        }

        @Override
        public Subscription subscribe(String subject, MessageHandler handler) {
            return broker.subscribe(subject, handler);
        }

        @Override
        public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
            return broker.subscribe(subject, queueGroup, handler);
        }

        @Override
        public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
            return broker.request(subject, data, timeout);
        }

        @Override
        public RoomLog roomLog() {
            return broker.roomLog();
        }

        @Override
        public int maxMessageSize() {
            return broker.maxMessageSize();
        }

        @Override
        public void close() {
        }
    }

    private record Silent(KeyValue kv, AtomicBoolean cutOff) implements KeyValue {
        private <T> CompletableFuture<T> unlessCutOff(java.util.function.Supplier<CompletableFuture<T>> call) {
            return cutOff.get() ? new CompletableFuture<>() : call.get();
        }

        @Override
        public String bucket() {
            return kv.bucket();
        }

        @Override
        public CompletableFuture<Optional<KvEntry>> get(String key) {
            return unlessCutOff(() -> kv.get(key));
        }

        @Override
        public CompletableFuture<Long> put(String key, byte[] value) {
            return unlessCutOff(() -> kv.put(key, value));
        }

        @Override
        public CompletableFuture<Long> create(String key, byte[] value) {
            return unlessCutOff(() -> kv.create(key, value));
        }

        @Override
        public CompletableFuture<Long> update(String key, byte[] value, long expectedRevision) {
            return unlessCutOff(() -> kv.update(key, value, expectedRevision));
        }

        @Override
        public CompletableFuture<Void> delete(String key) {
            return unlessCutOff(() -> kv.delete(key));
        }

        @Override
        public CompletableFuture<List<String>> keys() {
            return unlessCutOff(kv::keys);
        }
    }
}
