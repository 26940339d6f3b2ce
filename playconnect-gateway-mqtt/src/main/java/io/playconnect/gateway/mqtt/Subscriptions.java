package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.StreamPosition;
import io.playconnect.core.spi.Subscription;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.auth.Principal;
import io.playconnect.edge.auth.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection's subscriptions. A filter naming a room joins it on the edge (once, however many
 * filters name it) and receives the room's events filtered by topic; plain filters subscribe to the
 * broker; the one server filter a client may hold is its own error topic. Delivers each room event
 * once, at the highest QoS of the matching filters. A persistent session keeps each joined room's
 * position (epoch and the seq of the last event that left for the client) and rejoins from it.
 * Confined to the connection's event loop.
 */
final class Subscriptions {
    private final MqttConnection c;
    private final Map<String, Sub> byFilter = new LinkedHashMap<>();
    private final Map<RoomId, Integer> roomFilters = new HashMap<>();
    /** Per joined room: the position the session resumes from (kept for persistent sessions only). */
    private final Map<RoomId, StreamPosition> positions = new HashMap<>();
    /** Rooms rejoined from a stored position whose answer has not come yet. */
    private final Set<RoomId> resuming = new HashSet<>();
    /** Rooms whose resume failed: their state message says {@code "recovered": false}. */
    private final Set<RoomId> notRecovered = new HashSet<>();
    /** While a stored session is restored: where each room resumes from. */
    private Map<RoomId, StreamPosition> resumeFrom = Map.of();
    /** A stored session is being restored: no retained messages (the session had them already). */
    private boolean restoring;

    /** One granted filter. {@code plain} holds the broker subscriptions of a plain filter. */
    private static final class Sub {
        final TopicFilter filter;
        final Topics.Filter kind;
        int qos;
        boolean noLocal;
        List<Subscription> plain = List.of();

        Sub(TopicFilter filter, Topics.Filter kind, int qos, boolean noLocal) {
            this.filter = filter;
            this.kind = kind;
            this.qos = qos;
            this.noLocal = noLocal;
        }

        RoomId room() {
            return kind instanceof Topics.RoomFilter r ? r.room() : null;
        }

        /** The SUBSCRIBE options byte without the QoS (bit 2 no local, 3 retain as published, 4-5 retain handling). */
        int options() {
            return noLocal ? 4 : 0;
        }
    }

    Subscriptions(MqttConnection connection) {
        this.c = connection;
    }

    void onSubscribe(MqttSubscribeMessage msg, boolean admitted) {
        int packetId = msg.idAndPropertiesVariableHeader().messageId();
        MqttProperties props = msg.idAndPropertiesVariableHeader().properties();
        if (c.isV5() && props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
            c.closeWith(ReasonCodes.SUBSCRIPTION_IDS_NOT_SUPPORTED, "subscription identifiers are not supported");
            return;
        }
        List<Integer> codes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (MqttTopicSubscription s : msg.payload().topicSubscriptions()) {
            codes.add(admitted ? subscribe(s, reasons)
                    : failure(ReasonCodes.QUOTA_EXCEEDED, "rate limited", reasons));
        }
        MqttProperties ackProps = c.isV5() && !reasons.isEmpty() && c.outbound().problemInformation()
                ? Packets.reasonProperties(String.join("; ", reasons)) : MqttProperties.NO_PROPERTIES;
        c.write(Packets.subAck(packetId, codes, ackProps));
    }

    private int subscribe(MqttTopicSubscription s, List<String> reasons) {
        String value = s.topicFilter();
        if (value.startsWith("$share/")) {
            return failure(ReasonCodes.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "shared subscriptions are not supported",
                    reasons);
        }
        TopicFilter filter = TopicFilter.parse(value);
        if (filter == null) {
            return failure(ReasonCodes.TOPIC_FILTER_INVALID, "invalid topic filter " + Topics.printable(value), reasons);
        }
        int qos = Math.min(s.qualityOfService().value(), 2);
        boolean noLocal = c.isV5() && s.option().isNoLocal();
        Topics.Filter kind = c.rt.topics.classify(filter);
        Sub existing = byFilter.get(value);
        if (existing != null) {
            // The same filter again replaces the options of the existing subscription.
            existing.qos = qos;
            existing.noLocal = noLocal;
            return qos;
        }
        if (kind instanceof Topics.RoomFilter room) {
            return subscribeRoom(new Sub(filter, kind, qos, noLocal), room.room(), reasons);
        }
        if (kind instanceof Topics.PlainFilter) {
            return subscribePlain(new Sub(filter, kind, qos, noLocal), reasons);
        }
        if (kind instanceof Topics.ServerFilter) {
            if (!filter.matches(Topics.errorTopic(c.clientId()))) {
                return failure(ReasonCodes.NOT_AUTHORIZED, "the only server topic a client may subscribe to is "
                        + Topics.errorTopic(c.clientId()), reasons);
            }
            byFilter.put(value, new Sub(filter, kind, qos, noLocal));
            return qos;
        }
        Topics.Unsupported u = (Topics.Unsupported) kind;
        return failure(u.wildcardRoom() ? ReasonCodes.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED
                : ReasonCodes.TOPIC_FILTER_INVALID, u.reason(), reasons);
    }

    private int subscribeRoom(Sub sub, RoomId room, List<String> reasons) {
        Principal principal = c.session().principal();
        if (principal == null || !principal.can(Scope.SUBSCRIBE, room)) {
            return failure(ReasonCodes.NOT_AUTHORIZED, "no subscribe scope for " + room, reasons);
        }
        int filters = roomFilters.getOrDefault(room, 0);
        if (filters == 0 && roomFilters.size() >= c.rt.edge.limits().maxRoomsPerSession()) {
            return failure(ReasonCodes.QUOTA_EXCEEDED,
                    "at most " + c.rt.edge.limits().maxRoomsPerSession() + " rooms per connection", reasons);
        }
        byFilter.put(sub.filter.value(), sub);
        roomFilters.put(room, filters + 1);
        if (filters == 0) {
            StreamPosition since = resumeFrom.get(room);
            if (since != null) {
                resuming.add(room);
                positions.put(room, since);
            }
            c.session().join(room, since);
        }
        c.sessionChanged();
        return sub.qos;
    }

    private int subscribePlain(Sub sub, List<String> reasons) {
        PlainBus bus = c.rt.plainBus;
        if (bus == null) {
            return failure(ReasonCodes.IMPLEMENTATION_SPECIFIC, "plain topics are not enabled on this server", reasons);
        }
        byFilter.put(sub.filter.value(), sub);
        sub.plain = bus.subscribe(sub.filter, d -> c.post(() -> onPlain(sub, d)));
        c.sessionChanged();
        if (c.rt.retained != null && !restoring) {
            c.rt.retained.matching(sub.filter).whenComplete((list, err) -> c.post(() -> onRetained(sub, list)));
        }
        return sub.qos;
    }

    private int failure(int v5Code, String reason, List<String> reasons) {
        reasons.add(reason);
        return c.isV5() ? v5Code : ReasonCodes.V3_SUBACK_FAILURE;
    }

    void onUnsubscribe(MqttUnsubscribeMessage msg) {
        List<Short> codes = new ArrayList<>();
        for (String value : msg.payload().topics()) {
            Sub sub = byFilter.remove(value);
            codes.add((short) (sub == null ? ReasonCodes.NO_SUBSCRIPTION_EXISTED : ReasonCodes.SUCCESS));
            if (sub != null) {
                drop(sub);
            }
        }
        c.write(Packets.unsubAck(msg.idAndPropertiesVariableHeader().messageId(), codes));
    }

    private void drop(Sub sub) {
        sub.plain.forEach(Subscription::close);
        RoomId room = sub.room();
        if (room != null) {
            int left = roomFilters.getOrDefault(room, 1) - 1;
            if (left <= 0) {
                roomFilters.remove(room);
                positions.remove(room);
                c.session().leave(room);
            } else {
                roomFilters.put(room, left);
            }
        }
    }

    /**
     * A room event: once to this client, at the highest QoS among its filters that match the topic.
     * A persistent session's position in the room moves on once the event left the queue (or at
     * once, in queue order, when no filter wants it).
     */
    void onEvent(RoomId room, MqttEvent event, String epoch, long seq) {
        int qos = bestQos(room, event.levels());
        OutboundPublisher.Mark mark = c.persistence() == null ? null : new OutboundPublisher.Mark(room, epoch, seq);
        if (qos >= 0) {
            c.outbound().publish(event.topic(), event.payload(), qos, false, MqttEvent.JSON_PROPERTIES, mark);
        } else {
            c.outbound().mark(mark);
        }
    }

    /** The edge joined the room (or resumed it: {@code recovered}); events follow from {@code seq + 1}. */
    void onJoined(RoomId room, String epoch, long seq, boolean recovered) {
        if (!roomFilters.containsKey(room)) {
            return;
        }
        if (resuming.remove(room) && !recovered) {
            notRecovered.add(room);
        }
        if (c.persistence() != null) {
            c.outbound().mark(new OutboundPublisher.Mark(room, epoch, seq));
        }
    }

    /**
     * A room's state when it is joined, on {@code <kind>/<id>/state} for the filters matching that,
     * with the RETAIN flag: it is the room's retained message. After a failed resume it carries
     * {@code "recovered": false}.
     */
    void onSnapshot(RoomSnapshot snapshot) {
        String topic = Topics.stateTopic(snapshot.room());
        int qos = bestQos(snapshot.room(), TopicFilter.split(topic));
        boolean failedResume = notRecovered.remove(snapshot.room());
        if (qos >= 0) {
            ByteBuf payload = Unpooled.wrappedBuffer(JsonOut.snapshot(snapshot, failedResume));
            c.outbound().publish(topic, payload, qos, true, MqttEvent.JSON_PROPERTIES, null);
            payload.release();
        }
    }

    /** Where a persistent session resumes this room from: the last event that left for the client. */
    void passed(OutboundPublisher.Mark mark) {
        if (roomFilters.containsKey(mark.room())) {
            positions.put(mark.room(), new StreamPosition(mark.epoch(), mark.seq()));
            c.sessionChanged();
        }
    }

    /** Retained messages for a new plain subscription, with the RETAIN flag. */
    private void onRetained(Sub sub, List<RetainedMessages.Retained> list) {
        if (list == null || c.state() != MqttConnection.State.CONNECTED || byFilter.get(sub.filter.value()) != sub) {
            return;
        }
        for (RetainedMessages.Retained r : list) {
            ByteBuf payload = Unpooled.wrappedBuffer(r.payload());
            c.outbound().publish(r.topic(), payload, Math.min(r.qos(), sub.qos), true, r.properties(), null);
            payload.release();
        }
    }

    /** What a persistent session stores of the subscriptions: filters and room positions. */
    void exportTo(SessionState s) {
        for (Sub sub : byFilter.values()) {
            s.subscriptions.add(new SessionState.StoredSub(sub.filter.value(), sub.qos, sub.options(), 0));
        }
        s.positions.putAll(positions);
    }

    /**
     * Restores a stored session's subscriptions without SUBACKs: rooms are rejoined from their
     * positions, plain filters subscribe again (live only). A filter the token no longer allows is
     * dropped, with the reason on the error topic.
     */
    void restore(SessionState s) {
        resumeFrom = s.positions;
        restoring = true;
        try {
            for (SessionState.StoredSub stored : s.subscriptions) {
                List<String> reasons = new ArrayList<>(1);
                subscribe(new MqttTopicSubscription(stored.filter(), options(stored)), reasons);
                if (!reasons.isEmpty()) {
                    deliverError(new EdgeError(io.playconnect.core.ErrorCode.FORBIDDEN,
                            "stored subscription dropped: " + reasons.get(0), null, null));
                }
            }
        } finally {
            resumeFrom = Map.of();
            restoring = false;
        }
    }

    private static MqttSubscriptionOption options(SessionState.StoredSub s) {
        int o = s.options();
        return new MqttSubscriptionOption(io.netty.handler.codec.mqtt.MqttQoS.valueOf(s.qos()), (o & 4) != 0,
                (o & 8) != 0, MqttSubscriptionOption.RetainedHandlingPolicy.valueOf((o >> 4) & 3));
    }

    private int bestQos(RoomId room, String[] levels) {
        if (c.state() != MqttConnection.State.CONNECTED) {
            return -1;
        }
        int qos = -1;
        for (Sub sub : byFilter.values()) {
            if (room.equals(sub.room()) && sub.qos > qos && sub.filter.matches(levels)) {
                qos = sub.qos;
            }
        }
        return qos;
    }

    private void onPlain(Sub sub, PlainBus.Delivery d) {
        if (c.state() != MqttConnection.State.CONNECTED || byFilter.get(sub.filter.value()) != sub) {
            return;
        }
        if (sub.noLocal && d.origin().equals(c.session().connectionId())) {
            return;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(d.payload());
        c.outbound().publish(d.topic(), payload, Math.min(d.qos(), sub.qos), d.forward());
        payload.release();
    }

    /** An error for this client: to {@code $playconnect/errors/<clientId>} if it subscribed to it. */
    void deliverError(EdgeError error) {
        if (c.state() != MqttConnection.State.CONNECTED) {
            return;
        }
        String topic = Topics.errorTopic(c.clientId());
        String[] levels = TopicFilter.split(topic);
        int qos = -1;
        for (Sub sub : byFilter.values()) {
            if (sub.kind instanceof Topics.ServerFilter && sub.qos > qos && sub.filter.matches(levels)) {
                qos = sub.qos;
            }
        }
        if (qos >= 0) {
            ByteBuf payload = Unpooled.wrappedBuffer(JsonOut.error(error));
            c.outbound().publish(topic, payload, qos, MqttEvent.JSON_PROPERTIES);
            payload.release();
        }
    }

    /** The connection is gone: ends the broker subscriptions (the edge session leaves the rooms). */
    void closeAll() {
        byFilter.values().forEach(s -> s.plain.forEach(Subscription::close));
        byFilter.clear();
        roomFilters.clear();
        positions.clear();
    }
}
