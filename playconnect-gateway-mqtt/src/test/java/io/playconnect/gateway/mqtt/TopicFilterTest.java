package io.playconnect.gateway.mqtt;

import io.playconnect.core.RoomId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Topic filter syntax and matching as the MQTT specification defines them, and the topic mapping. */
class TopicFilterTest {

    @Test
    void wildcardsFollowTheSpecification() {
        assertThat(TopicFilter.parse("sport/tennis/#").matches("sport/tennis")).isTrue();
        assertThat(TopicFilter.parse("sport/tennis/#").matches("sport/tennis/player1/ranking")).isTrue();
        assertThat(TopicFilter.parse("sport/#").matches("sport")).isTrue();
        assertThat(TopicFilter.parse("sport/+").matches("sport/")).isTrue();
        assertThat(TopicFilter.parse("sport/+").matches("sport")).isFalse();
        assertThat(TopicFilter.parse("+/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.parse("/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.parse("+").matches("/finance")).isFalse();
        assertThat(TopicFilter.parse("#").matches("$SYS/x")).isFalse();
        assertThat(TopicFilter.parse("+/monitor/Clients").matches("$SYS/monitor/Clients")).isFalse();
        assertThat(TopicFilter.parse("$SYS/#").matches("$SYS/monitor/Clients")).isTrue();
        assertThat(TopicFilter.parse("$SYS/monitor/+").matches("$SYS/monitor/Clients")).isTrue();
        for (String bad : new String[] {"", "a+", "a/#/b", "#/a", "a/b#", "+a/b", "a\0b"}) {
            assertThat(TopicFilter.parse(bad)).as(bad).isNull();
        }
    }

    /** Matching agrees with a regular-expression reference on many random filters and topics. */
    @Test
    void matchingAgreesWithAReferenceOnRandomCases() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        String[] words = {"a", "b", "", "$s", "ab"};
        for (int i = 0; i < 20_000; i++) {
            String topic = randomTopic(random, words);
            String filter = randomFilter(random, words);
            TopicFilter f = TopicFilter.parse(filter);
            assertThat(f).as("seed %d filter %s", seed, filter).isNotNull();
            assertThat(f.matches(topic)).as("seed %d: %s ~ %s", seed, filter, topic).isEqualTo(reference(filter, topic));
        }
    }

    private static String randomTopic(SplittableRandom r, String[] words) {
        List<String> levels = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            levels.add(words[r.nextInt(words.length)]);
        }
        String topic = String.join("/", levels);
        // Topic names and filters are at least one character long.
        return topic.isEmpty() ? "a" : topic;
    }

    private static String randomFilter(SplittableRandom r, String[] words) {
        List<String> levels = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(words.length + 2);
            if (pick == words.length + 1 && i == n - 1) {
                levels.add("#");
            } else if (pick >= words.length) {
                levels.add("+");
            } else {
                levels.add(words[pick]);
            }
        }
        String filter = String.join("/", levels);
        return filter.isEmpty() ? "+" : filter;
    }

    private static boolean reference(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.equals("#")) {
                // '#' also matches the parent level: "a/#" matches "a".
                if (i == 0) {
                    return true;
                }
                regex.append("(/.*)?");
                return Pattern.matches(regex.toString(), topic);
            }
            if (i > 0) {
                regex.append('/');
            }
            regex.append(l.equals("+") ? "[^/]*" : Pattern.quote(l));
        }
        return Pattern.matches(regex.toString(), topic);
    }

    @Test
    void topicsMapOntoRoomsPlainTopicsAndServerTopics() {
        Topics topics = new Topics(Set.of("game", "chat"));
        assertThat(topics.classify("game/42/move")).isEqualTo(new Topics.RoomTopic(RoomId.of("game", "42"), "move"));
        assertThat(topics.classify("sensors/1/temp")).isInstanceOf(Topics.PlainTopic.class);
        assertThat(topics.classify("$playconnect/errors/x")).isInstanceOf(Topics.ServerTopic.class);
        assertThat(topics.classify("game/42")).isInstanceOf(Topics.BadRoomTopic.class);
        assertThat(topics.classify("game/4.2/move")).isInstanceOf(Topics.BadRoomTopic.class);
        assertThat(topics.classify(TopicFilter.parse("game/42/#"))).isInstanceOf(Topics.RoomFilter.class);
        assertThat(topics.classify(TopicFilter.parse("game/+/move")))
                .isEqualTo(new Topics.Unsupported(true, ((Topics.Unsupported) topics.classify(
                        TopicFilter.parse("game/+/move"))).reason()));
        assertThat(topics.classify(TopicFilter.parse("#"))).isInstanceOf(Topics.PlainFilter.class);
        assertThat(Topics.eventTopic(RoomId.of("game", "42"), "game.move")).isEqualTo("game/42/move");
    }
}
