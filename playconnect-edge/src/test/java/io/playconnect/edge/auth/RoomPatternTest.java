package io.playconnect.edge.auth;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomPatternTest {
    private static final RoomId GAME_42 = RoomId.parse("game.42");
    private static final RoomId GAME_7 = RoomId.parse("game.7");
    private static final RoomId CHAT = RoomId.parse("chat.lobby");

    @Test
    void exactKindAndAnyPatternsMatch() {
        assertThat(RoomPattern.parse("game.42").matches(GAME_42)).isTrue();
        assertThat(RoomPattern.parse("game.42").matches(GAME_7)).isFalse();
        assertThat(RoomPattern.parse("game.*").matches(GAME_7)).isTrue();
        assertThat(RoomPattern.parse("game.*").matches(CHAT)).isFalse();
        assertThat(RoomPattern.parse("*").matches(CHAT)).isTrue();
        assertThat(RoomPattern.parse("game.*")).isEqualTo(RoomPattern.parse("game.*"));
    }

    @Test
    void badPatternsAreBadRoom() {
        for (String bad : new String[] {"", "game", "game.", "Game.*", "game.4 2", "*.42", "game.*.x", "**"}) {
            assertThatThrownBy(() -> RoomPattern.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ROOM));
        }
        assertThatThrownBy(() -> RoomPattern.parse(null)).isInstanceOf(SyncException.class);
    }

    @Test
    void grantsAddUpAcrossPatterns() {
        Principal p = new Principal("alice", Map.of(
                RoomPattern.parse("game.*"), Set.of(Scope.SUBSCRIBE),
                RoomPattern.parse("game.42"), EnumSet.of(Scope.PUBLISH),
                RoomPattern.parse("*"), Set.of()), Instant.EPOCH);
        assertThat(p.can(Scope.SUBSCRIBE, GAME_42)).isTrue();
        assertThat(p.can(Scope.PUBLISH, GAME_42)).isTrue();
        assertThat(p.can(Scope.PUBLISH, GAME_7)).isFalse();
        assertThat(p.can(Scope.SUBSCRIBE, CHAT)).isFalse();
        assertThat(Scope.fromWireName("presence")).isEqualTo(Scope.PRESENCE);
        assertThat(Scope.fromWireName("fly")).isNull();
    }
}
