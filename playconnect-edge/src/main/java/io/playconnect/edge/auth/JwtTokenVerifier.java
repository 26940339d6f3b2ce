package io.playconnect.edge.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Verifies signed JWTs: HS256 with a shared secret, RS256 or ES256 with a public key (object or PEM
 * file), or RS256/ES256 with keys from a JWKS URL (cached, refreshed on an unknown key id). Unsigned
 * tokens, other algorithms, bad signatures, a missing {@code exp} or {@code sub} are
 * {@link ErrorCode#UNAUTHENTICATED}; an {@code exp} more than the clock skew in the past is
 * {@link ErrorCode#TOKEN_EXPIRED}; a key server that cannot be reached is {@link ErrorCode#UNAVAILABLE}.
 */
public final class JwtTokenVerifier implements TokenVerifier {
    /** Tokens longer than this are refused before parsing. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;
    private final Duration clockSkew;
    private final Executor executor;

    private JwtTokenVerifier(Builder b, JWSVerificationKeySelector<SecurityContext> selector, Executor executor) {
        this.clock = b.clock;
        this.clockSkew = b.clockSkew;
        this.executor = executor;
        processor.setJWSKeySelector(selector);
        // Time checks are ours, on our clock, so that expiry has its own error code.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<Principal> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return CompletableFuture.failedFuture(new SyncException(ErrorCode.UNAUTHENTICATED,
                    "token is missing or longer than " + MAX_TOKEN_LENGTH + " characters"));
        }
        if (executor == null) {
            try {
                return CompletableFuture.completedFuture(verifyNow(token));
            } catch (SyncException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        // A JWKS lookup may go to the network: never on the caller's thread.
        return CompletableFuture.supplyAsync(() -> verifyNow(token), executor);
    }

    private Principal verifyNow(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "malformed token");
        } catch (BadJOSEException e) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "token rejected: " + e.getMessage());
        } catch (KeySourceException e) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "token keys unavailable: " + e.getMessage());
        } catch (JOSEException | RuntimeException e) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "token rejected: " + e.getMessage());
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "token lacks exp");
        }
        if (now.isAfter(exp.toInstant().plus(clockSkew))) {
            throw new SyncException(ErrorCode.TOKEN_EXPIRED, "token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "token not valid before " + nbf.toInstant());
        }
        return Grants.principal(claims.getClaim("sub"), claims.getClaim("rooms"), exp.toInstant().plus(clockSkew));
    }

    /** Builder: exactly one key source; defaults of 30 s clock skew and the system UTC clock. */
    public static final class Builder {
        private byte[] hmacSecret;
        private java.nio.file.Path publicKeyPem;
        private PublicKey publicKey;
        private URI jwksUrl;
        private Duration jwksCacheTtl = Duration.ofMinutes(5);
        private Duration clockSkew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private Executor executor;

        private Builder() {
        }

        /** HS256 with this secret, at least 32 bytes. */
        public Builder hmacSecret(byte[] secret) {
            Objects.requireNonNull(secret, "hmacSecret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("hmacSecret must be at least 32 bytes, got " + secret.length);
            }
            this.hmacSecret = secret.clone();
            return this;
        }

        /** RS256 (RSA key) or ES256 (EC P-256 key) with a {@code -----BEGIN PUBLIC KEY-----} file. */
        public Builder publicKeyPem(java.nio.file.Path file) {
            this.publicKeyPem = Objects.requireNonNull(file, "publicKeyPem");
            return this;
        }

        /** RS256 (RSA key) or ES256 (EC P-256 key). */
        public Builder publicKey(PublicKey key) {
            this.publicKey = Objects.requireNonNull(key, "publicKey");
            return this;
        }

        /** RS256 and ES256 with the keys served at this URL (a JWK set), cached for {@link #jwksCacheTtl}. */
        public Builder jwksUrl(URI url) {
            this.jwksUrl = Objects.requireNonNull(url, "jwksUrl");
            return this;
        }

        public Builder jwksCacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "jwksCacheTtl");
            if (ttl.toMillis() < 1000) {
                throw new IllegalArgumentException("jwksCacheTtl must be at least 1 s: " + ttl);
            }
            this.jwksCacheTtl = ttl;
            return this;
        }

        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "clockSkew");
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clockSkew must be in 0..5 min: " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where JWKS verifications run (they may fetch keys); default a small daemon pool. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public JwtTokenVerifier build() {
            int sources = (hmacSecret != null ? 1 : 0) + (publicKeyPem != null ? 1 : 0)
                    + (publicKey != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException(
                        "exactly one of hmacSecret, publicKeyPem, publicKey, jwksUrl is required, got " + sources);
            }
            if (hmacSecret != null) {
                return new JwtTokenVerifier(this,
                        new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(hmacSecret)), null);
            }
            if (jwksUrl != null) {
                return new JwtTokenVerifier(this, jwksSelector(), executor != null ? executor : jwksPool());
            }
            PublicKey key = publicKey != null ? publicKey : PemKeys.readPublicKey(publicKeyPem, "publicKeyPem");
            JWK jwk = toJwk(key);
            JWSAlgorithm alg = jwk instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            return new JwtTokenVerifier(this,
                    new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(new JWKSet(jwk))), null);
        }

        private JWSVerificationKeySelector<SecurityContext> jwksSelector() {
            JWKSource<SecurityContext> source;
            try {
                long ttl = jwksCacheTtl.toMillis();
                source = JWKSourceBuilder.<SecurityContext>create(jwksUrl.toURL())
                        .cache(ttl, Math.min(ttl, 15_000))
                        .retrying(false)
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("jwksUrl is not a valid URL: " + jwksUrl, e);
            }
            return new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), source);
        }

        private static JWK toJwk(PublicKey key) {
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) {
                    throw new IllegalArgumentException("publicKey: EC keys must be on P-256 (ES256), got " + curve);
                }
                return new ECKey.Builder(curve, ec).build();
            }
            throw new IllegalArgumentException("publicKey must be an RSA or EC P-256 key, got " + key.getAlgorithm());
        }

        private static Executor jwksPool() {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory threads = r -> {
                Thread t = new Thread(r, "playconnect-jwks-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            return Executors.newFixedThreadPool(2, threads);
        }
    }
}
