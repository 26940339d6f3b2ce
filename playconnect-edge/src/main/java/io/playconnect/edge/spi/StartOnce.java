package io.playconnect.edge.spi;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The once-only rule of {@link ProtocolGateway#start}: a second start fails, and an exception the
 * start throws comes back as a failed future, so the server sees every start failure the same way.
 *
 * <pre>{@code
 * private final StartOnce startOnce = new StartOnce("MyGateway");
 *
 * public CompletableFuture<List<Listener>> start(GatewayContext context) {
 *     Objects.requireNonNull(context, "context");
 *     return startOnce.run(() -> bind(context));
 * }
 * }</pre>
 */
public final class StartOnce {
    private final String owner;
    private final AtomicBoolean started = new AtomicBoolean();

    /** {@code owner} names the gateway in the error of a second start. */
    public StartOnce(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Runs {@code start} the first time only; later calls get a failed future and do not run it. */
    public <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> start) {
        Objects.requireNonNull(start, "start");
        if (!started.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException(owner + " can be started once"));
        }
        try {
            return Objects.requireNonNull(start.get(), "the future returned by start");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
