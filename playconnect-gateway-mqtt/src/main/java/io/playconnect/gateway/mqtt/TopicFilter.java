package io.playconnect.gateway.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * An MQTT topic filter, checked once and matched against topic names as the specification says:
 * {@code +} matches exactly one level, {@code #} (last) matches the parent level and any number of
 * levels below, and neither matches a topic that starts with {@code $} from the first level.
 */
final class TopicFilter {
    static final String ONE = "+";
    static final String REST = "#";

    private final String value;
    private final String[] levels;
    private final boolean wildcard;

    private TopicFilter(String value, String[] levels, boolean wildcard) {
        this.value = value;
        this.levels = levels;
        this.wildcard = wildcard;
    }

    /** The filter, or null when it breaks the wildcard rules (empty, {@code a+}, {@code a/#/b}, NUL). */
    static TopicFilter parse(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\0') >= 0) {
            return null;
        }
        String[] levels = split(filter);
        boolean wildcard = false;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean hasOne = level.indexOf('+') >= 0;
            boolean hasRest = level.indexOf('#') >= 0;
            if ((hasOne && !level.equals(ONE)) || (hasRest && !(level.equals(REST) && i == levels.length - 1))) {
                return null;
            }
            wildcard |= hasOne || hasRest;
        }
        return new TopicFilter(filter, levels, wildcard);
    }

    /** Splits on {@code /}, keeping empty levels ({@code a//b} has three). */
    static String[] split(String topic) {
        List<String> out = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                out.add(topic.substring(start, i));
                start = i + 1;
            }
        }
        out.add(topic.substring(start));
        return out.toArray(new String[0]);
    }

    String value() {
        return value;
    }

    String[] levels() {
        return levels.clone();
    }

    int levelCount() {
        return levels.length;
    }

    String level(int i) {
        return levels[i];
    }

    boolean hasWildcard() {
        return wildcard;
    }

    boolean matches(String topic) {
        return matches(split(topic));
    }

    /** Matches a topic name already split into levels. */
    boolean matches(String[] topic) {
        if (topic.length > 0 && topic[0].startsWith("$") && (levels[0].equals(ONE) || levels[0].equals(REST))) {
            return false;
        }
        for (int i = 0; i < levels.length; i++) {
            String f = levels[i];
            if (f.equals(REST)) {
                return true;
            }
            if (i >= topic.length) {
                return false;
            }
            if (!f.equals(ONE) && !f.equals(topic[i])) {
                return false;
            }
        }
        return topic.length == levels.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter f && f.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
