package io.playconnect.edge.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtTokenVerifierTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Map<String, List<String>> ROOMS = Map.of(
            "game.*", List.of("subscribe", "publish", "presence"), "chat.lobby", List.of("subscribe", "fly"));

    private static String sign(JWSSigner signer, JWSHeader header, Consumer<JWTClaimsSet.Builder> claims) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject("alice").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(600))).claim("rooms", ROOMS);
        claims.accept(b);
        SignedJWT jwt = new SignedJWT(header, b.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String hs256(Consumer<JWTClaimsSet.Builder> claims) throws JOSEException {
        return sign(new MACSigner(SECRET), new JWSHeader(JWSAlgorithm.HS256), claims);
    }

    private static JwtTokenVerifier hmac() {
        return JwtTokenVerifier.newBuilder().hmacSecret(SECRET).clock(CLOCK).build();
    }

    private static ErrorCode failure(TokenVerifier v, String token) {
        try {
            v.verify(token).join();
        } catch (CompletionException e) {
            return ((SyncException) e.getCause()).code();
        }
        throw new AssertionError("token was accepted");
    }

    @Test
    void hs256TokenGivesThePrincipalAndItsScopes() throws Exception {
        Principal p = hmac().verify(hs256(b -> { })).join();
        assertThat(p.user()).isEqualTo("alice");
        assertThat(p.expiresAt()).isEqualTo(NOW.plusSeconds(630));
        assertThat(p.can(Scope.PUBLISH, RoomId.parse("game.42"))).isTrue();
        assertThat(p.can(Scope.SUBSCRIBE, RoomId.parse("chat.lobby"))).isTrue();
        assertThat(p.can(Scope.PUBLISH, RoomId.parse("chat.lobby"))).isFalse();
        assertThat(p.can(Scope.SUBSCRIBE, RoomId.parse("chat.other"))).isFalse();
        assertThat(p.rooms().get(RoomPattern.parse("chat.lobby"))).as("unknown scope ignored").containsExactly(Scope.SUBSCRIBE);
    }

    @Test
    void expiryHasItsOwnCodeAndASmallSkewIsAllowed() throws Exception {
        JwtTokenVerifier v = hmac();
        assertThat(failure(v, hs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(31)))))).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(v.verify(hs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(20))))).join().user()).isEqualTo("alice");
        assertThat(failure(v, hs256(b -> b.expirationTime(null)))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(v, hs256(b -> b.notBeforeTime(Date.from(NOW.plusSeconds(120)))))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void forgedAndMalformedTokensAreUnauthenticated() throws Exception {
        JwtTokenVerifier v = hmac();
        String good = hs256(b -> { });
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"root\",\"exp\":1900000000}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String none = new PlainJWT(new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(NOW.plusSeconds(60))).build()).serialize();
        byte[] otherSecret = "another-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
        String wrongKey = sign(new MACSigner(otherSecret), new JWSHeader(JWSAlgorithm.HS256), b -> { });
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String wrongAlg = sign(new RSASSASigner(rsa), new JWSHeader(JWSAlgorithm.RS256), b -> { });
        String hs512 = sign(new MACSigner("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                .getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS512), b -> { });

        for (String bad : List.of(tampered, none, wrongKey, wrongAlg, hs512, "garbage", "a.b.c", "")) {
            assertThat(failure(v, bad)).as(bad).isEqualTo(ErrorCode.UNAUTHENTICATED);
        }
        assertThat(failure(v, null)).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(v, "x".repeat(JwtTokenVerifier.MAX_TOKEN_LENGTH + 1))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void badClaimsAreUnauthenticated() throws Exception {
        JwtTokenVerifier v = hmac();
        assertThat(failure(v, hs256(b -> b.subject(null)))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(v, hs256(b -> b.claim("rooms", "game.*")))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(v, hs256(b -> b.claim("rooms", Map.of("Bad Room!", List.of("subscribe"))))))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(v, hs256(b -> b.claim("rooms", Map.of("game.*", "subscribe")))))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        Principal noRooms = v.verify(hs256(b -> b.claim("rooms", null))).join();
        assertThat(noRooms.can(Scope.SUBSCRIBE, RoomId.parse("game.1"))).isFalse();
    }

    @Test
    void rs256WithAPemFile(@TempDir Path dir) throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        JwtTokenVerifier v = JwtTokenVerifier.newBuilder().publicKeyPem(pem).clock(CLOCK).build();
        assertThat(v.verify(sign(new RSASSASigner(rsa), new JWSHeader(JWSAlgorithm.RS256), b -> { })).join().user())
                .isEqualTo("alice");
        RSAKey other = new RSAKeyGenerator(2048).generate();
        assertThat(failure(v, sign(new RSASSASigner(other), new JWSHeader(JWSAlgorithm.RS256), b -> { })))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(v, hs256(b -> { }))).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void es256WithAPublicKey() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        JwtTokenVerifier v = JwtTokenVerifier.newBuilder().publicKey(ec.toECPublicKey()).clock(CLOCK).build();
        assertThat(v.verify(sign(new ECDSASigner(ec), new JWSHeader(JWSAlgorithm.ES256), b -> { })).join().user())
                .isEqualTo("alice");
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        assertThat(failure(v, sign(new ECDSASigner(other), new JWSHeader(JWSAlgorithm.ES256), b -> { })))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void jwksServesRs256AndEs256KeysAndIsCached() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", ex -> {
            fetches.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
            JwtTokenVerifier v = JwtTokenVerifier.newBuilder().jwksUrl(uri).clock(CLOCK).build();
            String r = sign(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r1").build(), b -> { });
            String e = sign(new ECDSASigner(ec), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(),
                    b -> b.subject("bob"));
            assertThat(v.verify(r).join().user()).isEqualTo("alice");
            assertThat(v.verify(e).join().user()).isEqualTo("bob");
            assertThat(v.verify(r).join().user()).isEqualTo("alice");
            assertThat(fetches.get()).as("key set fetched once, then cached").isEqualTo(1);
            assertThat(failure(v, hs256(b -> { }))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableKeyServerIsUnavailable() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = server.getAddress().getPort();
        server.stop(0);
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        JwtTokenVerifier v = JwtTokenVerifier.newBuilder()
                .jwksUrl(URI.create("http://127.0.0.1:" + port + "/jwks.json")).clock(CLOCK).build();
        String r = sign(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r1").build(), b -> { });
        assertThat(failure(v, r)).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void theBuilderValidatesWithTheParameterName(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> JwtTokenVerifier.newBuilder().hmacSecret(new byte[31]))
                .hasMessageContaining("hmacSecret");
        assertThatThrownBy(() -> JwtTokenVerifier.newBuilder().build()).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> JwtTokenVerifier.newBuilder().hmacSecret(SECRET).jwksUrl(URI.create("http://x/")).build())
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> JwtTokenVerifier.newBuilder().clockSkew(Duration.ofMinutes(10)))
                .hasMessageContaining("clockSkew");
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "not a key");
        assertThatThrownBy(() -> JwtTokenVerifier.newBuilder().publicKeyPem(junk).build())
                .hasMessageContaining("publicKeyPem");
        assertThatThrownBy(() -> JwtTokenVerifier.newBuilder().publicKeyPem(dir.resolve("missing.pem")).build())
                .hasMessageContaining("publicKeyPem");
    }
}
