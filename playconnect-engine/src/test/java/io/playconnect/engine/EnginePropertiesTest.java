package io.playconnect.engine;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.spi.RoomLogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties over random command sequences, each case replayable from the seed in its message.
 * (Seeded JUnit loops rather than a property library: see docs/architecture.md.)
 */
class EnginePropertiesTest {
    private static final int CASES = 40;
    private EngineHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /** A random command for a random room of the three kinds, including some invalid ones. */
    private static Command randomCommand(SplittableRandom rnd, int i) {
        String user = "u" + rnd.nextInt(3);
        String corr = "c" + rnd.nextInt(Math.max(1, i));
        switch (rnd.nextInt(3)) {
            case 0:
                return EngineHarness.command("chat.r" + rnd.nextInt(2), "chat.message",
                        "{\"text\":\"t" + rnd.nextInt(5) + "\"}", user, corr);
            case 1: {
                String path = List.of("/a", "/a/b", "/c", "/a/b/c", "/").get(rnd.nextInt(5));
                String hlc = "{\"t\":" + rnd.nextInt(1000) + ",\"c\":" + rnd.nextInt(3) + "}";
                String payload = rnd.nextInt(4) == 0
                        ? "{\"path\":\"" + path + "\",\"hlc\":" + hlc + "}"
                        : "{\"path\":\"" + path + "\",\"value\":" + rnd.nextInt(10) + ",\"hlc\":" + hlc + "}";
                return EngineHarness.command("doc.r" + rnd.nextInt(2), rnd.nextInt(4) == 0 ? "doc.delete" : "doc.set",
                        payload, user, corr);
            }
            default: {
                String move = List.of("e4", "e5", "d4", "d5", "Nf3", "Nc6", "Bb5", "a6", "zz").get(rnd.nextInt(9));
                return EngineHarness.command("game.r" + rnd.nextInt(2), "game.move",
                        "{\"move\":\"" + move + "\"}", user, corr);
            }
        }
    }

    private static final List<String> ROOMS = List.of("chat.r0", "chat.r1", "doc.r0", "doc.r1", "game.r0", "game.r1");

    @Test
    void rebuildingFromSnapshotPlusLogGivesTheLiveStateAndKeepsTheWindow() {
        for (int c = 0; c < CASES; c++) {
            long seed = 7000 + c;
            SplittableRandom rnd = new SplittableRandom(seed);
            // Small snapshotEvery so restores mix a snapshot with a log tail.
            h = new EngineHarness(RoomLogConfig.defaults(), b -> b.snapshotEvery(1 + rnd.nextInt(6)));
            List<Command> sent = new ArrayList<>();
            List<CommandResult> results = new ArrayList<>();
            int n = 20 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                Command cmd = randomCommand(rnd, i);
                sent.add(cmd);
                results.add(h.send(cmd));
            }
            List<RoomSnapshot> live = ROOMS.stream().map(h::state).collect(Collectors.toList());
            h.restartEngine(b -> b);
            for (int i = 0; i < ROOMS.size(); i++) {
                RoomSnapshot back = h.state(ROOMS.get(i));
                assertThat(back.seq()).as("seed %d room %s", seed, ROOMS.get(i)).isEqualTo(live.get(i).seq());
                assertThat(back.epoch()).as("seed %d", seed).isEqualTo(live.get(i).epoch());
                assertThat(new String(back.state(), StandardCharsets.UTF_8)).as("seed %d room %s", seed, ROOMS.get(i))
                        .isEqualTo(new String(live.get(i).state(), StandardCharsets.UTF_8));
            }
            // Every accepted command replayed after the restore returns its original ack.
            for (int i = 0; i < n; i++) {
                if (results.get(i) instanceof CommandResult.Accepted && isLastUseOfKey(sent, i)) {
                    assertThat(h.send(sent.get(i))).as("seed %d command %d", seed, i).isEqualTo(results.get(i));
                }
            }
            h.close();
            h = null;
        }
    }

    /** True when no later command in the list reused this command's key. */
    private static boolean isLastUseOfKey(List<Command> sent, int i) {
        Command c = sent.get(i);
        for (int j = i + 1; j < sent.size(); j++) {
            Command o = sent.get(j);
            if (o.room().equals(c.room()) && o.origin().equals(c.origin()) && o.correlationId().equals(c.correlationId())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void seqsAreGaplessUnderConcurrentSubmitters() throws Exception {
        h = new EngineHarness();
        int threads = 8;
        int perThread = 500;
        Set<Long> seqs = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(CompletableFuture.runAsync(() -> {
                await(go);
                for (int i = 0; i < perThread; i++) {
                    CommandResult r = h.send("chat.busy", "chat.message", "{\"text\":\"x\"}", "user" + id, "k" + i);
                    assertThat(r).isInstanceOf(CommandResult.Accepted.class);
                    assertThat(seqs.add(((CommandResult.Accepted) r).seq())).isTrue();
                }
            }, java.util.concurrent.Executors.newSingleThreadExecutor()));
        }
        go.countDown();
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).join();
        assertThat(seqs).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, threads * perThread).boxed().collect(Collectors.toList()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aReplayedKeyChangesNothingAndAChangedPayloadConflicts() {
        for (int c = 0; c < CASES; c++) {
            long seed = 9100 + c;
            SplittableRandom rnd = new SplittableRandom(seed);
            h = new EngineHarness();
            Command original = randomValidChat(rnd);
            CommandResult ack = h.send(original);
            for (int i = 0; i < rnd.nextInt(5); i++) {
                h.send(EngineHarness.command("chat.p", "chat.message", "{\"text\":\"o\"}", "other", "o" + i));
            }
            RoomSnapshot before = h.state("chat.p");
            assertThat(h.send(original)).as("seed %d", seed).isEqualTo(ack);
            assertThat(h.state("chat.p").seq()).as("seed %d", seed).isEqualTo(before.seq());
            Command changed = EngineHarness.command("chat.p", "chat.message", "{\"text\":\"changed\"}",
                    original.origin().user(), original.correlationId());
            CommandResult conflict = h.send(changed);
            assertThat(conflict).as("seed %d", seed).isInstanceOf(CommandResult.Rejected.class);
            assertThat(((CommandResult.Rejected) conflict).code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
            assertThat(h.state("chat.p").state()).isEqualTo(before.state());
            h.close();
            h = null;
        }
    }

    private static Command randomValidChat(SplittableRandom rnd) {
        return EngineHarness.command("chat.p", "chat.message", "{\"text\":\"v" + rnd.nextInt(1000) + "\"}",
                "u" + rnd.nextInt(5), "key-" + rnd.nextInt(1_000_000));
    }

    @Test
    void aDocClockFarInTheFutureIsRejected() {
        h = new EngineHarness();
        long future = System.currentTimeMillis() + 120_000;
        CommandResult r = h.send("doc.f", "doc.set", "{\"path\":\"/a\",\"value\":1,\"hlc\":{\"t\":" + future + ",\"c\":0}}", "u", "1");
        assertThat(r).isInstanceOf(CommandResult.Rejected.class);
        assertThat(((CommandResult.Rejected) r).code()).isEqualTo(ErrorCode.CLOCK_SKEW);
        assertThat(h.state("doc.f").seq()).isZero();
    }
}
