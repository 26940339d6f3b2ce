package io.playconnect.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownSequenceTest {

    @Test
    void runsStepsInOrderAndReportsClean() {
        List<String> ran = new ArrayList<>();
        boolean clean = new ShutdownSequence()
                .stepNow("a", () -> ran.add("a"))
                .step("b", () -> {
                    ran.add("b");
                    return CompletableFuture.completedFuture(null);
                })
                .run(Duration.ofSeconds(5));

        assertThat(clean).isTrue();
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void aStuckOrFailingStepIsCutOffAndTheRestStillRun() {
        // The stuck step never completes: this test returning at all shows the budget cuts it off.
        List<String> ran = new ArrayList<>();
        boolean clean = new ShutdownSequence()
                .step("stuck", CompletableFuture::new)
                .stepNow("throws", () -> {
                    throw new IllegalStateException("boom");
                })
                .step("fails", () -> CompletableFuture.failedFuture(new IllegalStateException("boom")))
                .stepNow("last", () -> ran.add("last"))
                .run(Duration.ofMillis(300));

        assertThat(clean).isFalse();
        assertThat(ran).containsExactly("last");
    }
}
