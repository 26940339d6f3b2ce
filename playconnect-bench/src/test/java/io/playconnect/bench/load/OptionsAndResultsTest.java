package io.playconnect.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsAndResultsTest {

    @Test
    void invalidSizesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> LoadOptions.newBuilder().connections(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("connections");
        assertThatThrownBy(() -> LoadOptions.newBuilder().rate(20_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rate");
        assertThatThrownBy(() -> LoadOptions.newBuilder().duration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> LoadOptions.newBuilder().sourceAddresses(254))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("sourceAddresses");
        assertThatThrownBy(() -> LoadOptions.newBuilder().payloadBytes(16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("payloadBytes");
        assertThatThrownBy(() -> Workload.named("flood"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workload");
    }

    @Test
    void toBuilderKeepsEverySize() {
        LoadOptions o = LoadOptions.newBuilder().connections(7).subscribers(8).pacedSubscribers(9).stormClients(10)
                .messages(11).rate(12).duration(Duration.ofSeconds(13)).warmup(Duration.ofSeconds(1)).stormEvents(2)
                .payloadBytes(100).publishWindow(3).sourceAddresses(4).maxPending(5).ioThreads(1)
                .settle(Duration.ZERO).stepTimeout(Duration.ofSeconds(9)).build();

        LoadOptions copy = o.toBuilder().build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(o);
    }

    @Test
    void sourceAddressesAreLoopbackAndRoundRobin() {
        SourceAddresses a = new SourceAddresses(3);

        assertThat(a.forClient(0).getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(a.forClient(2).getHostAddress()).isEqualTo("127.0.0.4");
        assertThat(a.forClient(3)).isEqualTo(a.forClient(0));
        assertThat(a.forClient(5).isLoopbackAddress()).isTrue();
    }

    @Test
    void resultsGoToJsonAndComeBackAsATableAndOneChartPerWorkload(@TempDir Path dir) throws IOException {
        for (String server : List.of("playconnect", "nats-server")) {
            Histogram h = new Histogram(60_000_000L, 3);
            for (int i = 1; i <= 1000; i++) {
                h.recordValue(server.equals("playconnect") ? i * 10L : i * 5L);
            }
            WorkloadResult r = new WorkloadResult("paced", server, "d").put("deliveries", 1000).latency(h);
            r.below("p99 latency", 9.9, 50, "ms");
            Results.write(dir, r, Map.of("rate", 10));
        }

        List<JsonNode> docs = Results.read(dir);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        Results.printTable(new PrintStream(table, true, StandardCharsets.UTF_8), docs);
        List<Path> charts = Results.writeCharts(dir, docs);

        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).path("machine").path("nproc").asInt()).isPositive();
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("nats-server", "playconnect", "deliveries", "MET");
        assertThat(charts).containsExactly(dir.resolve("paced.svg"));
        String svg = Files.readString(charts.get(0));
        assertThat(svg).startsWith("<svg").contains("playconnect", "nats-server").endsWith("</svg>\n");
        assertThat(svg.split("<polyline", -1)).hasSize(3);
    }

    @Test
    void chartScaleRoundsUpToOneTwoOrFive() {
        assertThat(SvgChart.niceCeiling(0.7)).isEqualTo(1.0);
        assertThat(SvgChart.niceCeiling(13)).isEqualTo(20.0);
        assertThat(SvgChart.niceCeiling(41)).isEqualTo(50.0);
        assertThat(SvgChart.niceCeiling(0)).isEqualTo(1.0);
    }
}
