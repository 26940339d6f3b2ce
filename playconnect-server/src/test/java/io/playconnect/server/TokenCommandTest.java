package io.playconnect.server;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.playconnect.server.PlayConnectCommandTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenCommandTest {

    private static SignedJWT verified(String token, String secret) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token.strip());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
        return jwt;
    }

    @Test
    void printsAnHs256TokenWithSubTimesAndRoomScopes() throws Exception {
        long before = Instant.now().getEpochSecond();
        Cli.Outcome o = Cli.execute(Map.of(), "token", "--sub", "alice", "--room", "game.*", "--room", "chat.lobby",
                "--scope", "subscribe,publish", "--ttl", "2h", "--token-secret", SECRET);

        assertThat(o.code()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(o.out().strip().lines()).hasSize(1);
        JWTClaimsSet claims = verified(o.out(), SECRET).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        long iat = claims.getIssueTime().toInstant().getEpochSecond();
        assertThat(iat).isBetween(before, Instant.now().getEpochSecond());
        assertThat(claims.getExpirationTime().toInstant().getEpochSecond() - iat).isEqualTo(7200);
        assertThat(claims.getJSONObjectClaim("rooms")).isEqualTo(Map.of(
                "game.*", List.of("subscribe", "publish"),
                "chat.lobby", List.of("subscribe", "publish")));
    }

    @Test
    void defaultsAreAllScopesAndOneHourAndTheSecretMayComeFromTheEnvironment() throws Exception {
        Cli.Outcome o = Cli.execute(Map.of("PLAYCONNECT_TOKEN_SECRET", SECRET), "token", "--sub", "bob", "--room", "*");

        assertThat(o.code()).isZero();
        JWTClaimsSet claims = verified(o.out(), SECRET).getJWTClaimsSet();
        assertThat(claims.getJSONObjectClaim("rooms")).isEqualTo(Map.of("*", List.of("subscribe", "publish", "presence")));
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000);
    }

    @Test
    void aTokenSignedWithAnotherSecretDoesNotVerify() throws Exception {
        Cli.Outcome o = Cli.execute(Map.of(), "token", "--sub", "eve", "--room", "game.1", "--token-secret", SECRET);

        SignedJWT jwt = SignedJWT.parse(o.out().strip());
        assertThat(jwt.verify(new MACVerifier("another-secret-of-32-bytes-or-more!".getBytes(StandardCharsets.UTF_8))))
                .isFalse();
    }

    @Test
    void shortSecretMissingOptionsAndBadValuesAreOneLineErrors() {
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--room", "game.1", "--token-secret", "tooshort").errLines())
                .containsExactly("playconnect: --token-secret: must be at least 32 bytes for HS256 (got 8)",
                        "Try 'playconnect token --help' for more information.");
        assertThat(Cli.execute(Map.of(), "token", "--room", "game.1", "--token-secret", SECRET).errLines().get(0))
                .isEqualTo("playconnect: --sub is required");
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--token-secret", SECRET).errLines().get(0))
                .isEqualTo("playconnect: --room is required (at least one)");
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--room", "game.1").errLines().get(0))
                .isEqualTo("playconnect: --token-secret is required (or PLAYCONNECT_TOKEN_SECRET)");
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--room", "Game.1", "--token-secret", SECRET).errLines().get(0))
                .isEqualTo("playconnect: --room: not a room pattern (*, KIND.* or KIND.ID): 'Game.1'");
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--room", "game.1", "--scope", "admin",
                "--token-secret", SECRET).errLines().get(0))
                .isEqualTo("playconnect: --scope: unknown scope 'admin' (expected subscribe, publish, presence)");
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--room", "game.1", "--ttl", "forever",
                "--token-secret", SECRET).errLines().get(0))
                .isEqualTo("playconnect: --ttl: not a duration from 1s to 365d (such as 90s, 15m, 1h, 7d): 'forever'");
        assertThat(Cli.execute(Map.of(), "token", "--sub", "a", "--room", "game.1", "--token-secret", "x").code())
                .isEqualTo(2);
    }

    @Test
    void roomPatternsAreStarKindStarOrKindId() {
        for (String ok : List.of("*", "game.*", "game.42", "chat.lobby_1", "doc.A-b")) {
            JwtMinter.checkRoomPattern(ok);
        }
        for (String bad : List.of("", "game", "game.", ".42", "*.42", "game.4 2", "GAME.1", "game.*.x", "game.a.b")) {
            assertThatThrownBy(() -> JwtMinter.checkRoomPattern(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a room pattern");
        }
    }

    @Test
    void minterIsUsableInProcessWithAFixedClock() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00.750Z");
        String token = new JwtMinter(SECRET).mint("carol", Map.of("doc.1", List.of("subscribe")), Duration.ofSeconds(90), now);

        JWTClaimsSet claims = verified(token, SECRET).getJWTClaimsSet();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(Instant.parse("2026-01-01T00:01:30Z"));
        assertThatThrownBy(() -> new JwtMinter("short")).hasMessageContaining("secret must be at least 32 bytes");
        assertThatThrownBy(() -> new JwtMinter(SECRET).mint("x", Map.of("doc.1", List.of("root")), Duration.ofSeconds(1)))
                .hasMessageContaining("unknown scope 'root'");
    }
}
