package io.playconnect.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Mints development tokens: HS256 JWTs in the one format the edge verifies.
 *
 * <p>The token format (header {@code {"alg":"HS256","typ":"JWT"}}), claims:
 * <ul>
 *   <li>{@code sub}: the principal, 1 to 128 printable characters; commands are de-duplicated
 *       per (room, sub, correlationId);</li>
 *   <li>{@code iat}, {@code exp}: issued-at and expiry, whole seconds since the Unix epoch;</li>
 *   <li>{@code rooms}: a JSON object from room pattern to the array of scopes granted there. A
 *       pattern is {@code *} (every room), {@code <kind>.*} (every room of a kind) or
 *       {@code <kind>.<id>} (one room), with kind and id as {@link io.playconnect.core.RoomId}
 *       allows. Scopes are {@code subscribe} (join a room and receive its events),
 *       {@code publish} (send commands) and {@code presence} (appear in and read the member
 *       list).</li>
 * </ul>
 * Example: {@code {"sub":"alice","iat":1764340000,"exp":1764343600,
 * "rooms":{"game.*":["subscribe","publish","presence"],"chat.lobby":["subscribe"]}}}.
 */
public final class JwtMinter {
    /** Every scope, in the order they are listed by default. */
    public static final List<String> SCOPES = List.of("subscribe", "publish", "presence");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,127}");

    private final MACSigner signer;

    /** @param secret at least 32 bytes of UTF-8 */
    public JwtMinter(String secret) {
        Objects.requireNonNull(secret, "secret");
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < ServerConfig.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret must be at least " + ServerConfig.MIN_SECRET_BYTES
                    + " bytes for HS256 (got " + bytes + ")");
        }
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("secret is not usable for HS256: " + e.getMessage(), e);
        }
    }

    /** A token for {@code subject} with the given room grants, valid for {@code ttl} from now. */
    public String mint(String subject, Map<String, List<String>> rooms, Duration ttl) {
        return mint(subject, rooms, ttl, Instant.now());
    }

    public String mint(String subject, Map<String, List<String>> rooms, Duration ttl, Instant now) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(ttl, "ttl");
        if (rooms == null || rooms.isEmpty()) {
            throw new IllegalArgumentException("rooms must grant at least one room pattern");
        }
        Map<String, List<String>> grants = new LinkedHashMap<>();
        rooms.forEach((pattern, scopes) -> {
            checkRoomPattern(pattern);
            for (String s : scopes) {
                if (!SCOPES.contains(s)) {
                    throw new IllegalArgumentException("unknown scope '" + s + "' for " + pattern);
                }
            }
            grants.put(pattern, List.copyOf(scopes));
        });
        Instant issued = Instant.ofEpochSecond(now.getEpochSecond());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(ttl)))
                .claim("rooms", grants)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /** Throws {@link IllegalArgumentException} unless {@code pattern} is {@code *}, {@code kind.*} or {@code kind.id}. */
    public static void checkRoomPattern(String pattern) {
        if ("*".equals(pattern)) {
            return;
        }
        int dot = pattern == null ? -1 : pattern.indexOf('.');
        if (dot > 0 && KIND.matcher(pattern.substring(0, dot)).matches()) {
            String id = pattern.substring(dot + 1);
            if (id.equals("*") || ID.matcher(id).matches()) {
                return;
            }
        }
        throw new IllegalArgumentException("not a room pattern (*, KIND.* or KIND.ID): "
                + (pattern == null ? "null" : Converters.quoted(pattern)));
    }
}
