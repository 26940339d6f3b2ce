package io.playconnect.gateway.websocket;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.spi.Member;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.auth.Principal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerFramesTest {
    static final RoomId ROOM = RoomId.parse("game.42");

    private static Msg msg(byte[] frame) {
        return Msg.parse(new String(frame, StandardCharsets.UTF_8));
    }

    @Test
    void eventWrapsTheStoredEnvelopeBytesVerbatim() {
        String envelope = "{\"v\":1,\"payload\":{\"b\" : 2,  \"a\":1}}";
        byte[] frame = ServerFrames.event(envelope.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("{\"op\":\"event\",\"event\":" + envelope + "}");
    }

    @Test
    void joinedSnapshotAndAckCarryTheContractFields() {
        assertThat(msg(ServerFrames.joined(ROOM, "ep", 12, true)).raw())
                .isEqualTo("{\"op\":\"joined\",\"room\":\"game.42\",\"epoch\":\"ep\",\"seq\":12,\"recovered\":true}");
        String state = "{\"fen\" : \"8/8\", \"moves\":[]}";
        assertThat(new String(ServerFrames.snapshot(new RoomSnapshot(ROOM, "ep", 3,
                state.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8))
                .isEqualTo("{\"op\":\"snapshot\",\"room\":\"game.42\",\"epoch\":\"ep\",\"seq\":3,\"state\":" + state + "}");
        Msg ack = msg(ServerFrames.ack("c\"1", ROOM, "ep", 9));
        assertThat(ack.text("correlationId")).isEqualTo("c\"1");
        assertThat(ack.number("seq")).isEqualTo(9);
        assertThat(ack.text("room")).isEqualTo("game.42");
        assertThat(ack.text("epoch")).isEqualTo("ep");
    }

    @Test
    void errorsSayWhetherToRetryAndLeaveOutUnknownFields() {
        Msg limited = msg(ServerFrames.error(new EdgeError(ErrorCode.RATE_LIMITED, "slow down", null, null)));
        assertThat(limited.raw()).isEqualTo("{\"op\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\",\"retry\":true}");
        Msg forbidden = msg(ServerFrames.error(new EdgeError(ErrorCode.FORBIDDEN, "no \u00e9\n", "c1", ROOM)));
        assertThat(forbidden.text("code")).isEqualTo("forbidden");
        assertThat(forbidden.text("message")).isEqualTo("no \u00e9\n");
        assertThat(forbidden.text("correlationId")).isEqualTo("c1");
        assertThat(forbidden.text("room")).isEqualTo("game.42");
        assertThat(forbidden.flag("retry")).isFalse();
    }

    @Test
    void presenceHasMembersOrJoinedOrLeft() {
        Member a = new Member("alice", "c-a", "websocket", "gw", 1);
        Member b = new Member("bob", "c-b", "mqtt", "gw", 2);
        assertThat(msg(ServerFrames.presence(ROOM, new PresenceUpdate.Members(List.of(a, b)))).raw())
                .isEqualTo("{\"op\":\"presence\",\"room\":\"game.42\",\"members\":["
                        + "{\"user\":\"alice\",\"protocol\":\"websocket\",\"connectionId\":\"c-a\"},"
                        + "{\"user\":\"bob\",\"protocol\":\"mqtt\",\"connectionId\":\"c-b\"}]}");
        assertThat(msg(ServerFrames.presence(ROOM, new PresenceUpdate.Joined(b))).get("joined").path("user").asText())
                .isEqualTo("bob");
        assertThat(msg(ServerFrames.presence(ROOM, new PresenceUpdate.Left(a))).get("left").path("connectionId").asText())
                .isEqualTo("c-a");
    }

    @Test
    void authenticatedNamesTheUserAndExpiry() {
        Msg m = msg(ServerFrames.authenticated(new Principal("alice", Map.of(), Instant.ofEpochMilli(1_700_000_000_000L))));
        assertThat(m.raw()).isEqualTo("{\"op\":\"authenticated\",\"user\":\"alice\",\"expiresAt\":1700000000000}");
        assertThat(new String(ServerFrames.PONG, StandardCharsets.UTF_8)).isEqualTo("{\"op\":\"pong\"}");
    }
}
