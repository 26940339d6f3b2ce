package io.playconnect.gateway.mqtt;

import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;

import java.util.Set;

/**
 * How topics map onto PlayConnect (DESIGN §3): {@code <kind>/<id>/<name>} of a served room kind is
 * the event type {@code <kind>.<name>} in room {@code <kind>.<id>}; topics starting with {@code $}
 * belong to the server; every other topic is plain publish/subscribe through the broker.
 */
final class Topics {
    /** Where a client finds the errors of its commands: {@code $playconnect/errors/<clientId>}. */
    static final String ERROR_TOPIC_PREFIX = "$playconnect/errors/";
    /** The level after {@code <kind>/<id>} carrying a room's snapshot. */
    static final String STATE = "state";

    private final Set<String> roomKinds;

    Topics(Set<String> roomKinds) {
        this.roomKinds = Set.copyOf(roomKinds);
    }

    /** What a topic name (no wildcards) is. */
    sealed interface Topic permits RoomTopic, PlainTopic, ServerTopic, BadRoomTopic {
    }

    /** {@code game/42/move}: a command of type {@code move} to room {@code game.42}. */
    record RoomTopic(RoomId room, String name) implements Topic {
    }

    record PlainTopic(String topic) implements Topic {
    }

    record ServerTopic(String topic) implements Topic {
    }

    /** Under a room kind but not {@code <kind>/<id>/<name>}. */
    record BadRoomTopic(String reason) implements Topic {
    }

    Topic classify(String topic) {
        if (topic.startsWith("$")) {
            return new ServerTopic(topic);
        }
        String[] levels = TopicFilter.split(topic);
        if (!roomKinds.contains(levels[0])) {
            return new PlainTopic(topic);
        }
        if (levels.length != 3 || levels[2].isEmpty()) {
            return new BadRoomTopic("room topics are <kind>/<id>/<name>: " + printable(topic));
        }
        try {
            return new RoomTopic(RoomId.of(levels[0], levels[1]), levels[2]);
        } catch (SyncException e) {
            return new BadRoomTopic(e.getMessage());
        }
    }

    /** What a topic filter covers. */
    sealed interface Filter permits RoomFilter, PlainFilter, ServerFilter, Unsupported {
    }

    /** A filter naming one room: {@code game/42/move}, {@code game/42/+}, {@code game/42/#}. */
    record RoomFilter(RoomId room, TopicFilter filter) implements Filter {
    }

    /** Plain topics only (room events need the room named, see the protocol docs). */
    record PlainFilter(TopicFilter filter) implements Filter {
    }

    record ServerFilter(TopicFilter filter) implements Filter {
    }

    /**
     * A filter the gateway does not serve.
     *
     * @param wildcardRoom true when the reason is a wildcard in the room position ({@code game/+/move})
     */
    record Unsupported(boolean wildcardRoom, String reason) implements Filter {
    }

    Filter classify(TopicFilter filter) {
        String first = filter.level(0);
        if (first.startsWith("$")) {
            return new ServerFilter(filter);
        }
        if (!roomKinds.contains(first)) {
            return new PlainFilter(filter);
        }
        if (filter.levelCount() < 2 || filter.level(1).equals(TopicFilter.ONE) || filter.level(1).equals(TopicFilter.REST)) {
            return new Unsupported(true, "a wildcard in the room position is not supported: name the room, e.g. "
                    + first + "/42/#");
        }
        if (filter.levelCount() != 3) {
            return new Unsupported(false, "room topic filters are <kind>/<id>/<name|+|#>: " + printable(filter.value()));
        }
        try {
            return new RoomFilter(RoomId.of(first, filter.level(1)), filter);
        } catch (SyncException e) {
            return new Unsupported(false, e.getMessage());
        }
    }

    /** The topic a room's event of {@code type} ({@code game.move}) is published on. */
    static String eventTopic(RoomId room, String type) {
        int dot = type.indexOf('.');
        String name = dot < 0 ? type : type.substring(dot + 1);
        return room.kind() + '/' + room.id() + '/' + name;
    }

    static String stateTopic(RoomId room) {
        return room.kind() + '/' + room.id() + '/' + STATE;
    }

    static String errorTopic(String clientId) {
        return ERROR_TOPIC_PREFIX + clientId;
    }

    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
