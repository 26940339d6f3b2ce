package io.playconnect.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EngineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EngineMetrics metrics = new EngineMetrics(registry);

    private double commands(String kind, String result) {
        var c = registry.find(MetricNames.ENGINE_COMMANDS).tags("kind", kind, "result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void countsCommandsByKindAndResultAndRejectionsByCode() {
        metrics.onCommand(RoomId.parse("game.1"), "game.move", new CommandResult.Accepted("e", 1), 1_000_000);
        metrics.onCommand(RoomId.parse("game.1"), "game.move", new CommandResult.Accepted("e", 2), 3_000_000);
        metrics.onCommand(RoomId.parse("game.2"), "game.move", CommandResult.rejected(ErrorCode.ILLEGAL_MOVE, "no"), 500_000);

        assertThat(commands("game", "accepted")).isEqualTo(2);
        assertThat(commands("game", "illegal_move")).isEqualTo(1);
        assertThat(registry.get(MetricNames.ENGINE_REJECTIONS).tag("code", "illegal_move").counter().count()).isEqualTo(1);
        var latency = registry.get(MetricNames.ENGINE_COMMAND_LATENCY).timer();
        assertThat(latency.count()).isEqualTo(3);
        assertThat(latency.totalTime(TimeUnit.MICROSECONDS)).isEqualTo(4_500);
    }

    @Test
    void unknownKindsAndKindsPastTheCapAreCountedAsOther() {
        metrics.onCommand(RoomId.parse("evil.1"), "evil.x", CommandResult.rejected(ErrorCode.UNKNOWN_KIND, "no"), 1);
        for (int i = 0; i < EngineMetrics.MAX_KINDS + 10; i++) {
            metrics.onCommand(RoomId.parse("k" + i + ".1"), "k.x", new CommandResult.Accepted("e", 1), 1);
        }

        assertThat(commands("evil", "unknown_kind")).isZero();
        assertThat(commands("other", "unknown_kind")).isEqualTo(1);
        long kinds = registry.find(MetricNames.ENGINE_COMMANDS).counters().stream()
                .map(c -> c.getId().getTag("kind")).distinct().count();
        assertThat(kinds).isLessThanOrEqualTo(EngineMetrics.MAX_KINDS);
        double total = registry.find(MetricNames.ENGINE_COMMANDS).counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(total).isEqualTo(EngineMetrics.MAX_KINDS + 11);
        assertThat(commands("other", "accepted")).isGreaterThanOrEqualTo(10);
    }
}
