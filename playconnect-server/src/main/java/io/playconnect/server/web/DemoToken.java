package io.playconnect.server.web;

import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.http.HttpHandler;
import io.playconnect.http.HttpRequest;
import io.playconnect.http.HttpResponse;
import io.playconnect.server.JwtMinter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * {@code GET /demo/token?user=NAME&room=ROOM[&ttlSeconds=N]}: a short-lived token for one room, so
 * the demo page works without an auth service. Installed only with {@code --dev}: anyone who can
 * reach the port gets a token, which is what a demo wants and production must never have.
 */
public final class DemoToken implements HttpHandler {
    public static final String PATH = "/demo/token";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private final JwtMinter minter;
    private final Clock clock;

    public DemoToken(JwtMinter minter, Clock clock) {
        this.minter = minter;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<HttpResponse> handle(HttpRequest request) {
        return CompletableFuture.completedFuture(answer(request));
    }

    private HttpResponse answer(HttpRequest request) {
        String user = request.queryParam("user").orElse(null);
        if (user == null || !USER.matcher(user).matches()) {
            return HttpResponse.error(400, "bad_request", "user must be 1-32 letters, digits, '_' or '-'");
        }
        RoomId room;
        try {
            room = RoomId.parse(request.queryParam("room").orElse(null));
        } catch (SyncException e) {
            return HttpResponse.error(400, "bad_request", "room: " + e.getMessage());
        }
        long ttl;
        try {
            String given = request.queryParam("ttlSeconds").orElse(null);
            ttl = given == null ? 600 : Long.parseLong(given);
        } catch (NumberFormatException e) {
            ttl = -1;
        }
        if (ttl < 10 || ttl > 3600) {
            return HttpResponse.error(400, "bad_request", "ttlSeconds must be a whole number from 10 to 3600");
        }
        Instant now = clock.instant();
        String token = minter.mint(user, Map.of(room.value(), List.of("subscribe", "publish", "presence")),
                Duration.ofSeconds(ttl), now);
        String body = "{\"token\":" + HttpResponse.quote(token) + ",\"user\":" + HttpResponse.quote(user)
                + ",\"room\":" + HttpResponse.quote(room.value()) + ",\"expiresAt\":"
                + now.plusSeconds(ttl).toEpochMilli() + "}";
        return HttpResponse.json(200, body).withHeader("Cache-Control", "no-store");
    }
}
