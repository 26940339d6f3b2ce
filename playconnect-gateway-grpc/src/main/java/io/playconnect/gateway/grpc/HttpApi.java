package io.playconnect.gateway.grpc;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.edge.auth.Scope;
import io.playconnect.http.HttpRequest;
import io.playconnect.http.HttpResponse;
import io.playconnect.http.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The HTTP server API on the server's HTTP port, for systems that only speak HTTP (a legacy
 * monolith dual-writing while it migrates, a cron job): publish, batch publish, snapshot and
 * presence under {@code /api/v1}, with the OpenAPI document at {@code /api/v1/openapi.json}.
 * Every request is authenticated with a service JWT ({@code Authorization: Bearer}) and runs on the
 * edge session of that token, so scopes, rate limits, idempotency (the correlationId, or the
 * {@code Idempotency-Key} header) and the typed errors are those of every protocol.
 */
final class HttpApi implements AutoCloseable {
    static final String PREFIX = "/api/v1";
    static final String PUBLISH = PREFIX + "/publish";
    static final String BATCH = PREFIX + "/publish/batch";
    static final String SNAPSHOT = PREFIX + "/snapshot";
    static final String PRESENCE = PREFIX + "/presence";
    static final String OPENAPI = PREFIX + "/openapi.json";
    static final int MAX_BATCH = 100;

    private final GatewayRuntime rt;
    private final ServiceSessions sessions;
    private final Snapshots snapshots;
    private final byte[] openApi = loadOpenApi();

    HttpApi(GatewayRuntime rt, ServiceSessions sessions, Snapshots snapshots) {
        this.rt = rt;
        this.sessions = sessions;
        this.snapshots = snapshots;
    }

    void install(HttpServer http) {
        http.route("POST", PUBLISH, request -> guarded(request, null, this::publish));
        http.route("POST", BATCH, request -> guarded(request, null, this::batch));
        http.route("GET", SNAPSHOT, request -> guarded(request, null, this::snapshot));
        http.route("GET", PRESENCE, request -> guarded(request, null, this::presence));
        http.route("GET", OPENAPI, request -> CompletableFuture.completedFuture(
                HttpResponse.of(200, HttpResponse.JSON, openApi)));
    }

    private CompletableFuture<HttpResponse> publish(HttpRequest request) {
        ApiJson.Command c = ApiJson.command(request.body());
        String correlationId = c.correlationId() != null ? c.correlationId()
                : request.header("Idempotency-Key").orElse(java.util.UUID.randomUUID().toString());
        String traceparent = c.traceparent() != null ? c.traceparent() : request.header("traceparent").orElse(null);
        RoomId room = RoomId.parse(c.room());
        long timeout = rt.answerTimeoutNanos(null);
        ServiceSession s = session(request);
        CompletableFuture<HttpResponse> answer = s.ready().thenCompose(p -> {
            s.charge(c.payload().length);
            return s.publish(room, c.type(), c.payload(), correlationId, traceparent, timeout);
        }).thenApply(ack -> HttpResponse.of(200, HttpResponse.JSON, ApiJson.ack(ack)));
        return answer.exceptionally(err -> errorResponse(err, correlationId));
    }

    /**
     * Publishes every command of the batch through one session: commands to the same room are
     * applied in the order given, a failed one does not stop the others, and each gets its own
     * result (retry the retryable ones with the same correlationId). The session sends commands
     * of overlapping calls together, so a room's next command leaves once the previous one is
     * answered; different rooms proceed side by side.
     */
    private CompletableFuture<HttpResponse> batch(HttpRequest request) {
        List<ApiJson.Command> commands = ApiJson.batch(request.body(), MAX_BATCH);
        long timeout = rt.answerTimeoutNanos(null);
        ServiceSession s = session(request);
        return s.ready().thenCompose(p -> {
            List<CompletableFuture<ApiJson.Result>> results = new ArrayList<>(commands.size());
            Map<String, CompletableFuture<ApiJson.Result>> lastOfRoom = new HashMap<>();
            for (int i = 0; i < commands.size(); i++) {
                int index = i;
                ApiJson.Command c = commands.get(i);
                // Never fails (a failure is a result), so the next command of the room always follows.
                CompletableFuture<ApiJson.Result> previous = lastOfRoom.get(c.room());
                CompletableFuture<ApiJson.Result> result = previous == null ? batchItem(s, index, c, timeout)
                        : previous.thenCompose(done -> batchItem(s, index, c, timeout));
                lastOfRoom.put(c.room(), result);
                results.add(result);
            }
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                    .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
        }).thenApply(results -> HttpResponse.of(200, HttpResponse.JSON, ApiJson.batch(results)))
                .exceptionally(err -> errorResponse(err, null));
    }

    private static CompletableFuture<ApiJson.Result> batchItem(ServiceSession s, int index, ApiJson.Command c,
                                                               long timeout) {
        String correlationId = c.correlationId() != null ? c.correlationId() : java.util.UUID.randomUUID().toString();
        CompletableFuture<ServiceSession.Ack> ack;
        try {
            RoomId room = RoomId.parse(c.room());
            s.charge(c.payload().length);
            ack = s.publish(room, c.type(), c.payload(), correlationId, c.traceparent(), timeout);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        return ack.handle((a, err) -> {
            if (err == null) {
                return new ApiJson.Result(index, a, null, null, correlationId);
            }
            Failure f = Failure.of(err);
            return new ApiJson.Result(index, null, f.code(), f.message(), correlationId);
        });
    }

    private CompletableFuture<HttpResponse> snapshot(HttpRequest request) {
        RoomId room = RoomId.parse(roomParam(request));
        long timeout = rt.answerTimeoutNanos(null);
        ServiceSession s = session(request);
        return s.ready().thenCompose(p -> {
            s.charge(0);
            if (!p.can(Scope.SUBSCRIBE, room)) {
                throw new SyncException(ErrorCode.FORBIDDEN, "no subscribe scope for " + room);
            }
            return snapshots.fetch(room, java.time.Duration.ofNanos(timeout));
        }).thenApply(snapshot -> HttpResponse.of(200, HttpResponse.JSON, ApiJson.snapshot(snapshot)))
                .exceptionally(err -> errorResponse(err, null));
    }

    private CompletableFuture<HttpResponse> presence(HttpRequest request) {
        RoomId room = RoomId.parse(roomParam(request));
        long timeout = rt.answerTimeoutNanos(null);
        ServiceSession s = session(request);
        return s.ready().thenCompose(p -> {
            s.charge(0);
            return s.presence(room, timeout);
        }).thenApply(members -> HttpResponse.of(200, HttpResponse.JSON, ApiJson.presence(room.value(), members)))
                .exceptionally(err -> errorResponse(err, null));
    }

    private static String roomParam(HttpRequest request) {
        return request.queryParam("room").orElseThrow(() ->
                new SyncException(ErrorCode.BAD_ROOM, "the query parameter room is required: ?room=game.42"));
    }

    private ServiceSession session(HttpRequest request) {
        return sessions.acquire(bearer(request.header("Authorization")), null);
    }

    static String bearer(Optional<String> header) {
        if (header.isEmpty()) {
            return null;
        }
        String h = header.get().trim();
        if (h.length() > 7 && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String token = h.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /** Checks draining, runs the handler, and turns anything thrown into the typed JSON error. */
    private CompletableFuture<HttpResponse> guarded(HttpRequest request, String correlationId,
                                                    Function<HttpRequest, CompletableFuture<HttpResponse>> handler) {
        try {
            rt.checkAccepting();
            return handler.apply(request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(errorResponse(e, correlationId));
        }
    }

    /** The JSON error {@code {"code","message","retry"}} with the status of its code. */
    static HttpResponse errorResponse(Throwable err, String correlationId) {
        Failure f = Failure.of(err);
        HttpResponse r = HttpResponse.of(httpStatus(f.code(), f.deadline()), HttpResponse.JSON,
                ApiJson.error(f.code(), f.message(), correlationId));
        if (f.code() == ErrorCode.UNAUTHENTICATED || f.code() == ErrorCode.TOKEN_EXPIRED) {
            r = r.withHeader("WWW-Authenticate", "Bearer");
        }
        if (f.code().retryable() && !f.deadline()) {
            r = r.withHeader("Retry-After", "1");
        }
        return r;
    }

    /** The HTTP status of a typed error; a passed deadline is 504 like outcome_unknown. */
    static int httpStatus(ErrorCode code, boolean deadline) {
        if (deadline) {
            return 504;
        }
        return switch (code) {
            case BAD_REQUEST, UNKNOWN_OP, BAD_ROOM, UNKNOWN_TYPE, BAD_PAYLOAD -> 400;
            case UNKNOWN_KIND -> 404;
            case PAYLOAD_TOO_LARGE -> 413;
            case ILLEGAL_MOVE, NOT_YOUR_TURN, SPECTATOR, GAME_OVER, CLOCK_SKEW, NOT_JOINED, IDEMPOTENCY_CONFLICT -> 409;
            case UNAUTHENTICATED, TOKEN_EXPIRED -> 401;
            case FORBIDDEN -> 403;
            case RATE_LIMITED -> 429;
            case OVERLOADED, NO_OWNER, UNAVAILABLE -> 503;
            case OUTCOME_UNKNOWN -> 504;
            case INTERNAL -> 500;
        };
    }

    /** A failure as a typed code and message. */
    record Failure(ErrorCode code, String message, boolean deadline) {
        static Failure of(Throwable err) {
            Throwable t = Statuses.unwrap(err);
            if (t instanceof SyncException e) {
                return new Failure(e.code(), e.getMessage(), false);
            }
            if (t instanceof Statuses.DeadlinePassed d) {
                return new Failure(ErrorCode.OUTCOME_UNKNOWN, d.getMessage(), true);
            }
            return new Failure(ErrorCode.INTERNAL, "internal error", false);
        }
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sessions.close();
    }
}
