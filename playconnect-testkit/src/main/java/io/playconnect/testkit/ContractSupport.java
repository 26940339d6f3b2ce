package io.playconnect.testkit;

import io.playconnect.core.spi.BrokerException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Waiting and failure helpers shared by the contract suites. */
final class ContractSupport {
    /** How long a suite waits for anything that should happen at once. Generous on purpose. */
    static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContractSupport() {
    }

    /** A fresh token of 12 hex digits, to keep names of different tests apart. */
    static String unique() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static ConditionFactory eventually() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10));
    }

    /** The future's value; fails the test when it failed or did not complete within {@link #PATIENCE}. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * How {@code call} failed: either it threw, or the future it returned failed. Fails the test when
     * it succeeded or did not complete within {@link #PATIENCE}.
     */
    static Throwable failureOf(Supplier<? extends CompletableFuture<?>> call) {
        CompletableFuture<?> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            return e;
        }
        try {
            Object value = future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got success: " + value);
        } catch (ExecutionException | CompletionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError("future did not complete within " + PATIENCE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The {@link BrokerException.Reason} {@code call} failed with, or null for another failure. */
    static BrokerException.Reason reasonOf(Supplier<? extends CompletableFuture<?>> call) {
        return BrokerException.reasonOf(failureOf(call));
    }
}
