package io.playconnect.broker.memory;

import io.playconnect.core.spi.Subscription;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectMatchingTest {
    private final InMemoryBroker broker = InMemoryBroker.create();

    @AfterEach
    void close() {
        broker.close();
    }

    /** The patterns, among {@code patterns}, that {@code subject} reaches through the broker. */
    private Set<String> reached(List<String> patterns, String subject) {
        Set<String> got = new HashSet<>();
        List<Subscription> subs = new ArrayList<>();
        for (String p : patterns) {
            subs.add(broker.subscribe(p, m -> got.add(p)));
        }
        broker.publish(subject, new byte[0]);
        subs.forEach(Subscription::close);
        return got;
    }

    /** Token-by-token reference: what the NATS rules say, written as plainly as possible. */
    private static boolean matches(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return s.length > i;
            }
            if (i >= s.length || !(p[i].equals("*") || p[i].equals(s[i]))) {
                return false;
            }
        }
        return p.length == s.length;
    }

    @Test
    void edgeCases() {
        assertThat(reached(List.of(">", "*", "*.>", "a"), "a")).containsExactlyInAnyOrder(">", "*", "a");
        assertThat(reached(List.of(">", "*", "*.>", "a.>"), "a.b")).containsExactlyInAnyOrder(">", "*.>", "a.>");
        assertThat(reached(List.of("a.*.c", "a.*.*", "a.>", "*.b.>", "a.b"), "a.b.c"))
                .containsExactlyInAnyOrder("a.*.c", "a.*.*", "a.>", "*.b.>");
        assertThat(reached(List.of("a.b.c.>", "a.b.*.>"), "a.b.c")).isEmpty();
        assertThat(reached(List.of("A.b", "a.B"), "a.b")).isEmpty();
        assertThat(reached(List.of("a-1.b_2", "a-1.*"), "a-1.b_2")).containsExactlyInAnyOrder("a-1.b_2", "a-1.*");
    }

    @Test
    void samePatternTwiceIsTwoSubscriptions() {
        List<String> got = new ArrayList<>();
        Subscription first = broker.subscribe("x.*", m -> got.add("first"));
        broker.subscribe("x.*", m -> got.add("second"));
        broker.publish("x.1", new byte[0]);
        first.close();
        broker.publish("x.2", new byte[0]);
        assertThat(got).containsExactly("first", "second", "second");
    }

    @Test
    void randomPatternsAgreeWithTheReference() {
        String[] alphabet = {"a", "b", "c"};
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<String> patterns = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                patterns.add(randomPattern(random, alphabet));
            }
            List<String> distinct = patterns.stream().distinct().toList();
            for (int j = 0; j < 5; j++) {
                String subject = randomSubject(random, alphabet);
                Set<String> expected = new HashSet<>();
                distinct.stream().filter(p -> matches(p, subject)).forEach(expected::add);
                assertThat(reached(distinct, subject)).as("seed %d, subject %s, patterns %s", seed, subject, distinct)
                        .isEqualTo(expected);
            }
        }
    }

    private static String randomPattern(SplittableRandom random, String[] alphabet) {
        int n = 1 + random.nextInt(4);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int r = random.nextInt(10);
            boolean last = i == n - 1;
            tokens.add(r < 2 ? "*" : r < 3 && last ? ">" : alphabet[random.nextInt(alphabet.length)]);
        }
        return String.join(".", tokens);
    }

    private static String randomSubject(SplittableRandom random, String[] alphabet) {
        int n = 1 + random.nextInt(4);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(alphabet[random.nextInt(alphabet.length)]);
        }
        return String.join(".", tokens);
    }

    @Test
    void subscribingAfterAPublishIsSeenDespiteTheCache() {
        List<String> got = new ArrayList<>();
        broker.publish("cache.me", new byte[0]);
        assertThat(broker.cachedSubjects()).isEqualTo(1);
        broker.subscribe("cache.*", m -> got.add(m.subject()));
        broker.publish("cache.me", new byte[0]);
        assertThat(got).containsExactly("cache.me");
    }

    @Test
    void manyDistinctSubjectsKeepTheCacheBounded() {
        for (int i = 0; i < 40_000; i++) {
            broker.publish("s." + i, new byte[0]);
        }
        assertThat(broker.cachedSubjects()).isLessThanOrEqualTo(16_384);
    }

    @Test
    void badQueueGroupsAndNullsAreRefused() {
        assertThatThrownBy(() -> broker.subscribe("a", "", m -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueGroup");
        assertThatThrownBy(() -> broker.subscribe("a", "two words", m -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> broker.subscribe("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> broker.subscribe(null, m -> { })).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("subject");
        assertThatThrownBy(() -> broker.publish(null, new byte[0])).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("subject");
        assertThatThrownBy(() -> broker.publish("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("data");
        assertThatThrownBy(() -> broker.publish("a\tb", new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("white space");
    }
}
