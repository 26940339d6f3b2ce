package io.playconnect.edge.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewaySettingsTest {

    private static GatewaySettings with(String key, String value) {
        return GatewaySettings.newBuilder().options(Map.of(key, value)).build();
    }

    @Test
    void absentOptionsGiveTheDefault() {
        GatewaySettings none = GatewaySettings.newBuilder().build();
        assertThat(none.intOption("io-threads", 3)).isEqualTo(3);
        assertThat(none.booleanOption("flag", true)).isTrue();
        assertThat(none.booleanOption("flag", false)).isFalse();
        assertThat(none.durationOption("ping-interval", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(none.durationOption("ping-interval", null)).isNull();
    }

    @Test
    void durationsParseInEverySpelling() {
        Map<String, Duration> spellings = Map.of(
                "20", Duration.ofSeconds(20), " 2m ", Duration.ofMinutes(2), "PT1.5S", Duration.ofMillis(1500),
                "pt2m", Duration.ofMinutes(2), "500ms", Duration.ofMillis(500), "500 MS", Duration.ofMillis(500),
                "3S", Duration.ofSeconds(3), "0s", Duration.ZERO);
        spellings.forEach((text, expected) -> assertThat(with("d", text).durationOption("d", Duration.ofDays(1)))
                .as("'%s'", text).isEqualTo(expected));
    }

    @Test
    void randomDurationsRoundTripInEachUnit() {
        for (int i = 0; i < 500; i++) {
            long seed = 0x5EEDL + i;
            SplittableRandom random = new SplittableRandom(seed);
            long n = random.nextLong(0, 1_000_000);
            String pad = random.nextBoolean() ? " " : "";
            Map.Entry<String, Duration> spelled = switch (random.nextInt(5)) {
                case 0 -> Map.entry(n + "ms", Duration.ofMillis(n));
                case 1 -> Map.entry(n + "s", Duration.ofSeconds(n));
                case 2 -> Map.entry(n + "M", Duration.ofMinutes(n));
                case 3 -> Map.entry(Long.toString(n), Duration.ofSeconds(n));
                default -> Map.entry(Duration.ofMillis(n).toString(), Duration.ofMillis(n));
            };
            String text = pad + spelled.getKey() + pad;
            assertThat(with("d", text).durationOption("d", null)).as("seed %d, '%s'", seed, text)
                    .isEqualTo(spelled.getValue());
        }
    }

    @Test
    void integersParseWithBlanksAround() {
        assertThat(with("n", " 42 ").intOption("n", 0)).isEqualTo(42);
        assertThat(with("n", "-7").intOption("n", 0)).isEqualTo(-7);
        for (int i = 0; i < 500; i++) {
            long seed = 0x1A7L + i;
            int n = new SplittableRandom(seed).nextInt();
            assertThat(with("n", Integer.toString(n)).intOption("n", 0)).as("seed %d", seed).isEqualTo(n);
        }
    }

    @Test
    void flagsTakeTheUsualWords() {
        for (String yes : List.of("true", "TRUE", " yes ", "1")) {
            assertThat(with("f", yes).booleanOption("f", false)).as("'%s'", yes).isTrue();
        }
        for (String no : List.of("false", "No", "0", "", " ")) {
            assertThat(with("f", no).booleanOption("f", true)).as("'%s'", no).isFalse();
        }
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        assertThatThrownBy(() -> with("io-threads", "many").intOption("io-threads", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("io-threads must be an integer: many");
        assertThatThrownBy(() -> with("io-threads", "3000000000").intOption("io-threads", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("io-threads ");
        assertThatThrownBy(() -> with("anon", "maybe").booleanOption("anon", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("anon must be true or false: maybe");
        for (String bad : List.of("soon", "5h", "ms", "", "PT", "1.5s")) {
            assertThatThrownBy(() -> with("ping-interval", bad).durationOption("ping-interval", null)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ping-interval must be a duration such as 20s or 500ms: " + bad);
        }
    }

    @Test
    void randomWordsAreRefusedByEveryTypedAccessor() {
        for (int i = 0; i < 300; i++) {
            long seed = 0xBADL + i;
            SplittableRandom random = new SplittableRandom(seed);
            StringBuilder word = new StringBuilder("x");
            for (int c = random.nextInt(0, 8); c > 0; c--) {
                word.append((char) random.nextInt('a', 'z' + 1));
            }
            GatewaySettings s = with("opt", word.toString());
            for (Consumer<GatewaySettings> read : List.<Consumer<GatewaySettings>>of(
                    g -> g.intOption("opt", 0), g -> g.booleanOption("opt", false), g -> g.durationOption("opt", null))) {
                assertThatThrownBy(() -> read.accept(s)).as("seed %d, '%s'", seed, word)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("opt must be ");
            }
        }
    }
}
