package io.playconnect.broker.nats;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlinesTest {
    private final Deadlines deadlines = new Deadlines("test-deadlines");

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void aFutureStillPendingAtItsDeadlineFailsWithATimeout() {
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(50));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(f::isDone);
        assertThat(f).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aFutureAnsweredInTimeKeepsItsAnswer() {
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(50));
        f.complete("answer");
        CompletableFuture<String> pending = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(50));
        // Once a later future of the same timeout has expired, the sweep has passed the first one's deadline too.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(pending::isDone);
        assertThat(f.join()).isEqualTo("answer");
    }

    @Test
    void manyDifferentTimeoutsStillTimeOut() {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < Deadlines.MAX_LANES * 3; i++) {
            futures.add(deadlines.within(new CompletableFuture<>(), Duration.ofMillis(20 + i)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
        assertThat(futures).allMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void theSweeperWakesForWorkAfterSleepingAndHandlesSeveralTimeouts() {
        CompletableFuture<String> first = deadlines.within(new CompletableFuture<>(), Duration.ofMillis(20));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(first::isDone);
        List<CompletableFuture<String>> later = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            later.add(deadlines.within(new CompletableFuture<>(), Duration.ofMillis(i % 2 == 0 ? 30 : 60)));
        }
        CompletableFuture<String> slow = deadlines.within(new CompletableFuture<>(), Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> later.stream().allMatch(CompletableFuture::isDone));
        assertThat(later).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(slow).isNotDone();
    }
}
