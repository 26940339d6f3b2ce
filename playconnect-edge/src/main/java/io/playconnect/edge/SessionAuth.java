package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.edge.auth.Principal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session's authentication: first token, refreshes, the expiry timer and the first-token
 * deadline. Confined to the session's executor (only {@link #principal()} is read elsewhere).
 */
final class SessionAuth {
    private final EdgeSession session;
    private final EdgeRuntime rt;
    private volatile Principal principal;
    private int pending;
    private ScheduledFuture<?> expiry;

    SessionAuth(EdgeSession session, EdgeRuntime rt) {
        this.session = session;
        this.rt = rt;
    }

    Principal principal() {
        return principal;
    }

    /** Whether a verification is under way (requests before the first token wait for it). */
    boolean pending() {
        return pending > 0;
    }

    void authenticate(String token, CompletableFuture<Principal> result) {
        if (session.isClosed()) {
            result.completeExceptionally(new SyncException(ErrorCode.UNAVAILABLE, "session closed"));
            return;
        }
        pending++;
        CompletableFuture<Principal> verified;
        try {
            verified = rt.verifier.verify(token);
        } catch (RuntimeException e) {
            verified = CompletableFuture.failedFuture(e);
        }
        verified.whenComplete((p, err) -> session.executor().execute(() -> {
            pending--;
            onVerified(p, err, result);
        }));
    }

    private void onVerified(Principal p, Throwable err, CompletableFuture<Principal> result) {
        if (session.isClosed()) {
            result.completeExceptionally(new SyncException(ErrorCode.UNAVAILABLE, "session closed"));
            return;
        }
        SyncException failure = err != null ? EngineCalls.asSync(err) : check(p);
        if (failure != null) {
            session.sendError(new EdgeError(failure.code(), failure.getMessage(), null, null));
            if (principal == null && pending == 0) {
                session.close(new CloseReason(closeKind(failure.code()), failure.getMessage()));
            }
            result.completeExceptionally(failure);
            return;
        }
        boolean first = principal == null;
        principal = p;
        scheduleExpiry(p);
        result.complete(p);
        if (first) {
            session.runDeferred();
        } else {
            session.revalidateRooms(p);
        }
    }

    private SyncException check(Principal p) {
        if (p == null) {
            return new SyncException(ErrorCode.UNAUTHENTICATED, "no principal");
        }
        if (principal != null && !principal.user().equals(p.user())) {
            return new SyncException(ErrorCode.UNAUTHENTICATED, "a refreshed token must be for the same user");
        }
        if (!p.expiresAt().isAfter(rt.clock.instant())) {
            return new SyncException(ErrorCode.TOKEN_EXPIRED, "token expired at " + p.expiresAt());
        }
        return null;
    }

    private static CloseReason.Kind closeKind(ErrorCode code) {
        return switch (code) {
            case TOKEN_EXPIRED -> CloseReason.Kind.TOKEN_EXPIRED;
            case UNAVAILABLE -> CloseReason.Kind.OVERLOADED;
            default -> CloseReason.Kind.UNAUTHENTICATED;
        };
    }

    private void scheduleExpiry(Principal p) {
        if (expiry != null) {
            expiry.cancel(false);
        }
        long delay = Math.max(0, Duration.between(rt.clock.instant(), p.expiresAt()).toMillis());
        expiry = rt.timer.schedule(() -> session.executor().execute(() -> expired(p)), delay, TimeUnit.MILLISECONDS);
    }

    private void expired(Principal p) {
        if (principal == p && !session.isClosed()) {
            session.close(new CloseReason(CloseReason.Kind.TOKEN_EXPIRED,
                    "token expired at " + p.expiresAt() + "; refresh it before it expires"));
        }
    }

    void deadlinePassed() {
        if (principal == null && !session.isClosed()) {
            session.close(new CloseReason(CloseReason.Kind.UNAUTHENTICATED,
                    "no valid token within " + rt.limits.authDeadline().toMillis() + " ms"));
        }
    }

    void close() {
        if (expiry != null) {
            expiry.cancel(false);
        }
    }
}
