package io.playconnect.bench.jmh;

import io.playconnect.core.CommandResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark workloads only measure something if the engine accepts every command they send. */
class WorkloadsTest {

    @Test
    void everyWorkloadIsAcceptedInPipelinedWindows() {
        for (String kind : List.of("chat", "doc", "game")) {
            try (EngineFixture fixture = new EngineFixture()) {
                EngineSubmitToAckBenchmark.Workload w = EngineSubmitToAckBenchmark.Workload.of(kind);
                // More than one full chess game per room, so the workload's room rotation is exercised too.
                int total = kind.equals("game") ? 1024 * 41 : 5000;
                List<CompletableFuture<CommandResult>> window = new ArrayList<>();
                int accepted = 0;
                for (int i = 0; i < total; i++) {
                    window.add(fixture.send(w.next()));
                    if (window.size() == EngineSubmitToAckBenchmark.WINDOW) {
                        accepted += drain(kind, window);
                    }
                }
                accepted += drain(kind, window);
                assertThat(accepted).as(kind).isEqualTo(total);
            }
        }
    }

    private static int drain(String kind, List<CompletableFuture<CommandResult>> window) {
        int n = 0;
        for (CompletableFuture<CommandResult> f : window) {
            assertThat(f.join()).as(kind).isInstanceOf(CommandResult.Accepted.class);
            n++;
        }
        window.clear();
        return n;
    }
}
