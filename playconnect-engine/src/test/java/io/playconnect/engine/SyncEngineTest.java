package io.playconnect.engine;

import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.Subjects;
import io.playconnect.core.SyncException;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SyncEngineTest {
    private EngineHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private static CommandResult.Rejected rejected(CommandResult r) {
        assertThat(r).isInstanceOf(CommandResult.Rejected.class);
        return (CommandResult.Rejected) r;
    }

    @Test
    void acceptedCommandsGetGaplessSeqsAndOneRecordEach() {
        h = new EngineHarness();
        for (int i = 1; i <= 5; i++) {
            CommandResult r = h.send("chat.lobby", "chat.message", "{\"text\":\"m" + i + "\"}", "alice", "c" + i);
            assertThat(r).isInstanceOf(CommandResult.Accepted.class);
            assertThat(((CommandResult.Accepted) r).seq()).isEqualTo(i);
        }
        List<LogRecord> log = h.broker.roomLog().read(RoomId.parse("chat.lobby"), 1, 100).join();
        assertThat(log).extracting(LogRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        var event = EnvelopeCodec.instance().decodeEvent(log.get(2).data());
        assertThat(event.correlationId()).isEqualTo("c3");
        assertThat(new String(event.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"m3\"}");
        assertThat(event.origin().user()).isEqualTo("alice");
    }

    @Test
    void retryGetsTheOriginalAckAndAChangedRetryIsAConflict() {
        h = new EngineHarness();
        CommandResult first = h.send("chat.a", "chat.message", "{\"text\":\"x\"}", "alice", "k1");
        h.send("chat.a", "chat.message", "{\"text\":\"y\"}", "alice", "k2");
        assertThat(h.send("chat.a", "chat.message", "{\"text\":\"x\"}", "alice", "k1")).isEqualTo(first);
        assertThat(rejected(h.send("chat.a", "chat.message", "{\"text\":\"z\"}", "alice", "k1")).code())
                .isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
        // The key includes the principal: bob's k1 is a different command.
        assertThat(h.send("chat.a", "chat.message", "{\"text\":\"z\"}", "bob", "k1"))
                .isEqualTo(new CommandResult.Accepted(((CommandResult.Accepted) first).epoch(), 3));
        assertThat(h.broker.roomLog().info(RoomId.parse("chat.a")).join().lastSeq()).isEqualTo(3);
    }

    @Test
    void badInputIsATypedErrorAndChangesNothing() {
        h = new EngineHarness();
        h.send("game.g1", "game.move", "{\"move\":\"e4\"}", "white", "1");
        String before = h.stateJson("game.g1");
        assertThat(rejected(h.send("nosuchkind.1", "nosuchkind.x", "{}", "a", "1")).code()).isEqualTo(ErrorCode.UNKNOWN_KIND);
        assertThat(rejected(h.send("game.g1", "chat.message", "{}", "a", "2")).code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(rejected(h.send("game.g1", "game.move", "{\"move\":\"e5e2\"}", "black", "3")).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
        assertThat(rejected(h.send("game.g1", "game.move", "{\"move\":\"d4\"}", "white", "4")).code()).isEqualTo(ErrorCode.NOT_YOUR_TURN);
        h.send("game.g1", "game.move", "{\"move\":\"e5\"}", "black", "5");
        assertThat(rejected(h.send("game.g1", "game.move", "{\"move\":\"d4\"}", "carol", "6")).code()).isEqualTo(ErrorCode.SPECTATOR);
        assertThat(rejected(h.send("game.g1", "game.move", "[1,2]", "white", "7")).code()).isEqualTo(ErrorCode.BAD_PAYLOAD);
        String big = "{\"text\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(rejected(h.send("chat.c", "chat.message", big, "a", "8")).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(h.state("game.g1").seq()).isEqualTo(2);
        assertThat(h.stateJson("game.g1")).isNotEqualTo(before).contains("e5");
        assertThat(h.broker.roomLog().info(RoomId.parse("chat.c")).join().lastSeq()).isZero();
    }

    @Test
    void malformedCommandBytesGetBadRequest() {
        h = new EngineHarness();
        byte[] reply = h.broker.request(Subjects.commands(0), "{\"room\":".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5)).join().data();
        CommandResult r = EnvelopeCodec.instance().decodeResult(reply);
        assertThat(rejected(r).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> h.sender.fetchState(RoomId.parse("nosuch.1"), Duration.ofSeconds(5)).join())
                .hasRootCauseInstanceOf(SyncException.class)
                .rootCause().extracting(t -> ((SyncException) t).code()).isEqualTo(ErrorCode.UNKNOWN_KIND);
    }

    @Test
    void idleRoomsLeaveMemoryAndComeBackWithTheSameStateAndWindow() {
        h = new EngineHarness(RoomLogConfig.defaults(), b -> b.idleTimeout(Duration.ofMillis(200))
                .maintenanceInterval(Duration.ofMillis(50)));
        CommandResult first = h.send("doc.d1", "doc.set", "{\"path\":\"/a\",\"value\":1,\"hlc\":{\"t\":1,\"c\":0}}", "u", "k1");
        h.send("doc.d1", "doc.set", "{\"path\":\"/b\",\"value\":2,\"hlc\":{\"t\":2,\"c\":0}}", "u", "k2");
        RoomSnapshot live = h.state("doc.d1");
        await().atMost(Duration.ofSeconds(10)).until(() -> h.engine.loadedRooms() == 0);
        RoomSnapshot restored = h.state("doc.d1");
        assertThat(restored.epoch()).isEqualTo(live.epoch());
        assertThat(restored.seq()).isEqualTo(2);
        assertThat(restored.state()).isEqualTo(live.state());
        assertThat(h.send("doc.d1", "doc.set", "{\"path\":\"/a\",\"value\":1,\"hlc\":{\"t\":1,\"c\":0}}", "u", "k1"))
                .isEqualTo(first);
    }

    @Test
    void partitionCountMismatchRefusesToStart() {
        h = new EngineHarness();
        SyncEngine other = SyncEngine.newBuilder().broker(h.broker).partitions(8).build();
        assertThatThrownBy(() -> other.start().join()).hasMessageContaining("partition count mismatch");
        other.close();
    }

    @Test
    void noEngineMeansNoOwner() {
        h = new EngineHarness();
        h.engine.drain().join();
        assertThat(rejected(h.send("chat.x", "chat.message", "{\"text\":\"a\"}", "u", "1")).code())
                .isEqualTo(ErrorCode.NO_OWNER);
        assertThat(h.engine.ownedPartitions()).isEmpty();
    }
}
