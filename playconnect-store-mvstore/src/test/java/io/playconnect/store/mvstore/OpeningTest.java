package io.playconnect.store.mvstore;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.LogRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening a data directory: what is refused, with which reason; and the fence under contention. */
class OpeningTest {

    private static BrokerException.Reason reasonOf(Throwable t) {
        return BrokerException.reasonOf(t);
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefused() {
        Path dir = Directories.fresh();
        try (MvStoreBroker first = MvStoreBroker.newBuilder().directory(dir).build()) {
            assertThatThrownBy(() -> MvStoreBroker.newBuilder().directory(dir).build())
                    .isInstanceOf(BrokerException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use")
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(BrokerException.Reason.UNAVAILABLE));
            assertThat(first.roomLog().info(RoomId.of("chat", "still-works"))).succeedsWithin(10, TimeUnit.SECONDS);
        }
        MvStoreBroker.newBuilder().directory(dir).build().close();
    }

    @Test
    void aDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Directories.fresh().resolve("plain-file");
        Files.writeString(file, "not a directory");
        assertThatThrownBy(() -> MvStoreBroker.newBuilder().directory(file).build())
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("cannot create the data directory")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(BrokerException.Reason.UNAVAILABLE));
    }

    @Test
    void aFileThatIsNoStoreIsRefused() throws Exception {
        Path dir = Directories.fresh();
        Files.write(dir.resolve(MvStoreBroker.FILE_NAME), new byte[8192]);
        assertThatThrownBy(() -> MvStoreBroker.newBuilder().directory(dir).build())
                .isInstanceOf(BrokerException.class)
                .hasMessageContaining("cannot be opened")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(BrokerException.Reason.UNAVAILABLE));
    }

    @Test
    void builderChecksItsSettings() {
        assertThatThrownBy(() -> MvStoreBroker.newBuilder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> MvStoreBroker.newBuilder().maxBatch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> MvStoreBroker.newBuilder().maxMessageSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> MvStoreBroker.newBuilder().directory(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("directory");
    }

    @Test
    void everythingFailsUnavailableAfterClose() {
        MvStoreBroker broker = MvStoreBroker.newBuilder().directory(Directories.fresh()).build();
        RoomId room = RoomId.of("chat", "closed");
        String epoch = broker.roomLog().info(room).join().epoch();
        var kv = broker.keyValue(KeyValueConfig.newBuilder("b").build());
        broker.close();
        broker.close();
        List<CompletableFuture<?>> calls = List.of(broker.roomLog().info(room),
                broker.roomLog().append(new LogRecord(room, epoch, 1, 0, new byte[1]), 0),
                broker.roomLog().read(room, 1, 10), kv.get("k"), kv.put("k", new byte[1]));
        for (CompletableFuture<?> call : calls) {
            assertThat(call).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(BrokerException.Reason.UNAVAILABLE));
        }
    }

    /** Two writers race for every seq of one room: each seq is won once, and the log stays gapless. */
    @Test
    void theFenceLetsOneOfTwoRacingAppendsThrough() throws Exception {
        try (MvStoreBroker broker = MvStoreBroker.newBuilder().directory(Directories.fresh()).build()) {
            RoomId room = RoomId.of("chat", "race");
            String epoch = broker.roomLog().info(room).get(10, TimeUnit.SECONDS).epoch();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> wins = new ArrayList<>();
                for (String writer : List.of("a", "b")) {
                    wins.add(pool.submit(() -> race(broker, room, epoch, writer, 300)));
                }
                int total = wins.get(0).get(60, TimeUnit.SECONDS) + wins.get(1).get(60, TimeUnit.SECONDS);
                List<LogRecord> log = broker.roomLog().read(room, 1, 10_000).get();
                assertThat(total).isEqualTo(log.size());
                assertThat(log).extracting(LogRecord::seq)
                        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Appends as {@code writer} until the log holds {@code until} records; returns how many it won. */
    private static int race(MvStoreBroker broker, RoomId room, String epoch, String writer, int until) throws Exception {
        int won = 0;
        while (true) {
            long last = broker.roomLog().info(room).get(10, TimeUnit.SECONDS).lastSeq();
            if (last >= until) {
                return won;
            }
            LogRecord r = new LogRecord(room, epoch, last + 1, 0, (writer + (last + 1)).getBytes(StandardCharsets.UTF_8));
            try {
                broker.roomLog().append(r, last).get(10, TimeUnit.SECONDS);
                won++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(reasonOf(e)).isEqualTo(BrokerException.Reason.WRONG_LAST_SEQUENCE);
            }
        }
    }
}
