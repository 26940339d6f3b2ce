package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.spi.Subscription;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.auth.Principal;
import io.playconnect.edge.auth.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's subscriptions. A filter naming a room joins it on the edge (once, however many
 * filters name it) and receives the room's events filtered by topic; plain filters subscribe to the
 * broker; the one server filter a client may hold is its own error topic. Delivers each room event
 * once, at the highest QoS of the matching filters. Confined to the connection's event loop.
 */
final class Subscriptions {
    private final MqttConnection c;
    private final Map<String, Sub> byFilter = new LinkedHashMap<>();
    private final Map<RoomId, Integer> roomFilters = new HashMap<>();

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
        int qos = Math.min(s.qualityOfService().value(), 1);
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
            c.session().join(room, null);
        }
        return sub.qos;
    }

    private int subscribePlain(Sub sub, List<String> reasons) {
        PlainBus bus = c.rt.plainBus;
        if (bus == null) {
            return failure(ReasonCodes.IMPLEMENTATION_SPECIFIC, "plain topics are not enabled on this server", reasons);
        }
        byFilter.put(sub.filter.value(), sub);
        sub.plain = bus.subscribe(sub.filter, d -> c.post(() -> onPlain(sub, d)));
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
                c.session().leave(room);
            } else {
                roomFilters.put(room, left);
            }
        }
    }

    /** A room event: once to this client, at the highest QoS among its filters that match the topic. */
    void onEvent(RoomId room, MqttEvent event) {
        int qos = bestQos(room, event.levels());
        if (qos >= 0) {
            c.outbound().publish(event.topic(), event.payload(), qos, MqttEvent.JSON_PROPERTIES);
        }
    }

    /** A room's state when it is joined, on {@code <kind>/<id>/state} for the filters matching that. */
    void onSnapshot(RoomSnapshot snapshot) {
        String topic = Topics.stateTopic(snapshot.room());
        int qos = bestQos(snapshot.room(), TopicFilter.split(topic));
        if (qos >= 0) {
            ByteBuf payload = Unpooled.wrappedBuffer(JsonOut.snapshot(snapshot));
            c.outbound().publish(topic, payload, qos, MqttEvent.JSON_PROPERTIES);
            payload.release();
        }
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
    }
}
