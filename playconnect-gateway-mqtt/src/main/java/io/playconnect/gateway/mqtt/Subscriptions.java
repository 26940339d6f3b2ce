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
 * once, at the highest QoS of the matching filters, with the Subscription Identifiers of all of them
 * (MQTT 5). Shared subscriptions ({@code $share/<group>/<filter>}) cover plain topics; each message
 * goes to one member of the group, across gateways. A persistent session keeps each joined room's
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
    /** While a SUBSCRIBE is handled: the rooms it joins, which its SUBACK waits for. */
    private Set<RoomId> joining;
    private final PendingSubAcks subAcks;

    /** Which subscriptions match a room topic: the highest QoS among them (-1: none) and their identifiers. */
    private record Match(int qos, List<Integer> ids) {
        static final Match NONE = new Match(-1, List.of());
        /** Matches without identifiers, by QoS: the common case allocates nothing per event. */
        static final Match[] PLAIN = {new Match(0, List.of()), new Match(1, List.of()), new Match(2, List.of())};
    }

    Subscriptions(MqttConnection connection) {
        this.c = connection;
        this.subAcks = new PendingSubAcks(connection::write);
    }

    void onSubscribe(MqttSubscribeMessage msg, boolean admitted) {
        int packetId = msg.idAndPropertiesVariableHeader().messageId();
        MqttProperties props = msg.idAndPropertiesVariableHeader().properties();
        Integer id = c.isV5() ? Handshake.intProperty(props, MqttProperties.SUBSCRIPTION_IDENTIFIER) : null;
        String violation = id != null && id <= 0 ? "a subscription identifier is 1 to 268,435,455"
                : sharedNoLocal(msg.payload().topicSubscriptions());
        if (violation != null) {
            c.closeWith(ReasonCodes.PROTOCOL_ERROR, violation);
            return;
        }
        List<Integer> codes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        joining = new HashSet<>();
        for (MqttTopicSubscription s : msg.payload().topicSubscriptions()) {
            codes.add(admitted ? subscribe(s, id == null ? 0 : id, reasons)
                    : failure(ReasonCodes.QUOTA_EXCEEDED, "rate limited", reasons));
        }
        MqttProperties ackProps = c.isV5() && !reasons.isEmpty() && c.outbound().problemInformation()
                ? Packets.reasonProperties(String.join("; ", reasons)) : MqttProperties.NO_PROPERTIES;
        Set<RoomId> joins = joining;
        joining = null;
        subAcks.add(Packets.subAck(packetId, codes, ackProps), joins);
    }

    /** MQTT 5: No Local on a shared subscription is a protocol error. */
    private String sharedNoLocal(List<MqttTopicSubscription> subs) {
        for (MqttTopicSubscription s : subs) {
            if (c.isV5() && s.option().isNoLocal() && SharedSubscriptions.isShared(s.topicFilter())) {
                return "no local is not allowed on a shared subscription: " + Topics.printable(s.topicFilter());
            }
        }
        return null;
    }

    private int subscribe(MqttTopicSubscription s, int subscriptionId, List<String> reasons) {
        String value = s.topicFilter();
        Object shared = SharedSubscriptions.isShared(value) ? SharedSubscriptions.parse(value) : null;
        if (shared instanceof SharedSubscriptions.Invalid bad) {
            return failure(ReasonCodes.TOPIC_FILTER_INVALID, bad.reason(), reasons);
        }
        String filterValue = shared instanceof SharedSubscriptions.Shared sh ? sh.filter() : value;
        TopicFilter filter = TopicFilter.parse(filterValue);
        if (filter == null) {
            return failure(ReasonCodes.TOPIC_FILTER_INVALID, "invalid topic filter " + Topics.printable(value), reasons);
        }
        Topics.Filter kind = c.rt.topics.classify(filter);
        Sub existing = byFilter.get(value);
        if (existing != null) {
            // The same filter again replaces the options of the existing subscription.
            existing.options(s, 2, c.isV5(), subscriptionId);
            if (existing.retainHandling == 0) {
                sendRetained(existing);
            }
            return existing.qos;
        }
        if (shared instanceof SharedSubscriptions.Shared sh) {
            if (!(kind instanceof Topics.PlainFilter)) {
                return failure(ReasonCodes.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                        "shared subscriptions cover plain topics only: " + Topics.printable(value), reasons);
            }
            String group = SharedSubscriptions.queueGroup(c.rt.config.plainSubjectPrefix(), sh);
            return subscribePlain(new Sub(value, filter, kind, group).options(s, 2, c.isV5(), subscriptionId), reasons);
        }
        Sub sub = new Sub(value, filter, kind, null).options(s, 2, c.isV5(), subscriptionId);
        if (kind instanceof Topics.RoomFilter room) {
            return subscribeRoom(sub, room.room(), reasons);
        }
        if (kind instanceof Topics.PlainFilter) {
            return subscribePlain(sub, reasons);
        }
        if (kind instanceof Topics.ServerFilter) {
            if (!filter.matches(Topics.errorTopic(c.clientId()))) {
                return failure(ReasonCodes.NOT_AUTHORIZED, "the only server topic a client may subscribe to is "
                        + Topics.errorTopic(c.clientId()), reasons);
            }
            byFilter.put(value, sub);
            return sub.qos;
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
        byFilter.put(sub.key, sub);
        roomFilters.put(room, filters + 1);
        if (filters == 0) {
            StreamPosition since = resumeFrom.get(room);
            if (since != null) {
                resuming.add(room);
                positions.put(room, since);
            }
            c.session().join(room, since);
            if (joining != null) {
                joining.add(room);
            }
        }
        c.sessionChanged();
        return sub.qos;
    }

    private int subscribePlain(Sub sub, List<String> reasons) {
        PlainBus bus = c.rt.plainBus;
        if (bus == null) {
            return failure(ReasonCodes.IMPLEMENTATION_SPECIFIC, "plain topics are not enabled on this server", reasons);
        }
        byFilter.put(sub.key, sub);
        sub.plain = bus.subscribe(sub.filter, sub.shareGroup, d -> c.post(() -> onPlain(sub, d)));
        c.sessionChanged();
        if (!restoring && sub.retainHandling != 2) {
            sendRetained(sub);
        }
        return sub.qos;
    }

    /** The retained messages matching a plain, non-shared subscription (shared ones get none). */
    private void sendRetained(Sub sub) {
        if (c.rt.retained != null && sub.kind instanceof Topics.PlainFilter && !sub.shared()) {
            c.rt.retained.matching(sub.filter).whenComplete((list, err) -> c.post(() -> onRetained(sub, list)));
        }
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
                subAcks.answered(room);
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
        Match m = match(room, event.levels(), false);
        OutboundPublisher.Mark mark = c.persistence() == null ? null : new OutboundPublisher.Mark(room, epoch, seq);
        if (m.qos() >= 0) {
            c.outbound().publish(event.topic(), event.payload(), m.qos(), false, withIds(MqttEvent.JSON_PROPERTIES, m.ids()),
                    mark);
        } else {
            c.outbound().mark(mark);
        }
    }

    /** The edge joined the room (or resumed it: {@code recovered}); events follow from {@code seq + 1}. */
    void onJoined(RoomId room, String epoch, long seq, boolean recovered) {
        subAcks.answered(room);
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
        Match m = match(snapshot.room(), TopicFilter.split(topic), true);
        boolean failedResume = notRecovered.remove(snapshot.room());
        if (m.qos() >= 0) {
            ByteBuf payload = Unpooled.wrappedBuffer(JsonOut.snapshot(snapshot, failedResume));
            c.outbound().publish(topic, payload, m.qos(), true, withIds(MqttEvent.JSON_PROPERTIES, m.ids()), null);
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
        if (list == null || c.state() != MqttConnection.State.CONNECTED || byFilter.get(sub.key) != sub) {
            return;
        }
        for (RetainedMessages.Retained r : list) {
            ByteBuf payload = Unpooled.wrappedBuffer(r.payload());
            c.outbound().publish(r.topic(), payload, Math.min(r.qos(), sub.qos), true, withIds(r.properties(), sub.ids()),
                    null);
            payload.release();
        }
    }

    /** What a persistent session stores of the subscriptions: filters and room positions. */
    void exportTo(SessionState s) {
        for (Sub sub : byFilter.values()) {
            s.subscriptions.add(new SessionState.StoredSub(sub.key, sub.qos, sub.options(), sub.subscriptionId));
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
                subscribe(new MqttTopicSubscription(stored.filter(), options(stored)), stored.subscriptionId(), reasons);
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

    /**
     * The room subscriptions matching a topic. For the room's state ({@code state}), those with
     * Retain Handling 2 do not count: the state plays the part of the retained message.
     */
    private Match match(RoomId room, String[] levels, boolean state) {
        if (c.state() != MqttConnection.State.CONNECTED) {
            return Match.NONE;
        }
        int qos = -1;
        List<Integer> ids = null;
        for (Sub sub : byFilter.values()) {
            if (room.equals(sub.room()) && sub.filter.matches(levels) && !(state && sub.retainHandling == 2)) {
                qos = Math.max(qos, sub.qos);
                if (sub.subscriptionId != 0) {
                    ids = ids == null ? new ArrayList<>(2) : ids;
                    ids.add(sub.subscriptionId);
                }
            }
        }
        return qos < 0 ? Match.NONE : ids == null ? Match.PLAIN[qos] : new Match(qos, ids);
    }

    /** {@code base} with subscription identifiers added (MQTT 5), or {@code base} itself when there are none. */
    private MqttProperties withIds(MqttProperties base, List<Integer> ids) {
        return ids.isEmpty() || !c.isV5() ? base : PublishProperties.forDelivery(base, -1, 0, ids);
    }

    private void onPlain(Sub sub, PlainBus.Delivery d) {
        if (c.state() != MqttConnection.State.CONNECTED || byFilter.get(sub.key) != sub) {
            return;
        }
        if (sub.noLocal && d.origin().equals(c.session().connectionId())) {
            return;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(d.payload());
        // RETAIN on a live message only with Retain As Published (it is not sent because of a new subscription).
        c.outbound().publish(d.topic(), payload, Math.min(d.qos(), sub.qos), sub.retainAsPublished && d.retain(),
                withIds(d.forward(), sub.ids()), null);
        payload.release();
    }

    /** An error for this client: to {@code $playconnect/errors/<clientId>} if it subscribed to it. */
    void deliverError(EdgeError error) {
        if (error.correlationId() == null && error.room() != null) {
            // A join refused (no scope, too many rooms, no owner): its SUBACK may go.
            subAcks.answered(error.room());
        }
        if (c.state() != MqttConnection.State.CONNECTED) {
            return;
        }
        String topic = Topics.errorTopic(c.clientId());
        String[] levels = TopicFilter.split(topic);
        int qos = -1;
        List<Integer> ids = new ArrayList<>(1);
        for (Sub sub : byFilter.values()) {
            if (sub.kind instanceof Topics.ServerFilter && sub.filter.matches(levels)) {
                qos = Math.max(qos, sub.qos);
                ids.addAll(sub.ids());
            }
        }
        if (qos >= 0) {
            ByteBuf payload = Unpooled.wrappedBuffer(JsonOut.error(error));
            c.outbound().publish(topic, payload, qos, withIds(MqttEvent.JSON_PROPERTIES, ids));
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
