package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.edge.EdgeError;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The client's PUBLISH packets: commands to rooms, plain messages to the broker, refusals. QoS 1
 * and 2 publishes are answered (PUBACK, PUBREC) strictly in the order they arrived, each only once
 * the engine committed or refused it: the edge keeps one command in flight per room, and this FIFO
 * keeps the order across rooms. Confined to the connection's event loop.
 */
final class InboundCommands {
    private static final int QOS_2 = 2;

    private final MqttConnection c;
    private final ArrayDeque<Pending> fifo = new ArrayDeque<>();
    private final Map<String, Pending> byCorrelationId = new HashMap<>();
    private final Map<Integer, Pending> byPacketId = new HashMap<>();
    /** QoS 2 packet ids answered with PUBREC and waiting for their PUBREL. */
    private final Set<Integer> awaitingRelease = new HashSet<>();
    /** Makes correlation ids unique to this connection: a reconnect starts a new series. */
    private final String connectionTag = UUID.randomUUID().toString().substring(0, 8);
    private long counter;

    /** One QoS 1/2 publish waiting for its answer. */
    private static final class Pending {
        final int packetId;
        final int qos;
        final String correlationId;
        boolean done;
        EdgeError error;
        /** The error already went to the error topic. */
        boolean reported;

        Pending(int packetId, int qos, String correlationId) {
            this.packetId = packetId;
            this.qos = qos;
            this.correlationId = correlationId;
        }
    }

    InboundCommands(MqttConnection connection) {
        this.c = connection;
    }

    void onPublish(MqttPublishMessage msg, boolean admitted) {
        int qos = msg.fixedHeader().qosLevel().value();
        int packetId = msg.variableHeader().packetId();
        if (qos == QOS_2 && awaitingRelease.contains(packetId)) {
            // A resent QoS 2 publish already answered: answer again, process nothing.
            c.write(Packets.pubReply(MqttMessageType.PUBREC, packetId, ReasonCodes.SUCCESS, MqttProperties.NO_PROPERTIES));
            return;
        }
        if (qos > 0 && byPacketId.containsKey(packetId)) {
            return;
        }
        MqttProperties props = msg.variableHeader().properties();
        if (c.isV5() && !checkV5(msg, qos, props)) {
            return;
        }
        if (!admitted) {
            // The edge dropped it and sent rate_limited to the error topic; the packet still needs its answer.
            refuse(packetId, qos, new EdgeError(ErrorCode.RATE_LIMITED, "publish dropped: rate limited", null, null), false);
            return;
        }
        String topic = msg.variableHeader().topicName();
        Topics.Topic kind = c.rt.topics.classify(topic);
        if (kind instanceof Topics.RoomTopic room) {
            command(room, msg, qos, packetId, props);
        } else if (kind instanceof Topics.PlainTopic plain) {
            plain(plain, msg, qos, packetId, props);
        } else if (kind instanceof Topics.BadRoomTopic bad) {
            refuse(packetId, qos, new EdgeError(ErrorCode.BAD_ROOM, bad.reason(), null, null), true);
        } else {
            refuse(packetId, qos, new EdgeError(ErrorCode.FORBIDDEN,
                    "topics starting with $ belong to the server: " + Topics.printable(topic), null, null), true);
        }
    }

    /** MQTT 5 rules that end the connection; false when it was closed. */
    private boolean checkV5(MqttPublishMessage msg, int qos, MqttProperties props) {
        if (qos == QOS_2) {
            c.closeWith(ReasonCodes.QOS_NOT_SUPPORTED, "the maximum QoS is 1");
            return false;
        }
        if (qos > 0 && fifo.size() >= c.rt.config.receiveMaximum()) {
            c.closeWith(0x93, "more than " + c.rt.config.receiveMaximum() + " QoS 1 publishes unanswered");
            return false;
        }
        if (msg.fixedHeader().isRetain()
                && !(c.rt.topics.classify(msg.variableHeader().topicName()) instanceof Topics.RoomTopic)) {
            c.closeWith(ReasonCodes.RETAIN_NOT_SUPPORTED, "retained messages are not supported");
            return false;
        }
        return true;
    }

    private void command(Topics.RoomTopic room, MqttPublishMessage msg, int qos, int packetId, MqttProperties props) {
        String correlationId = correlationId(props, qos, packetId);
        if (qos > 0) {
            enqueue(new Pending(packetId, qos, correlationId));
        }
        String traceparent = userProperty(props, "traceparent");
        // The retain flag of a command is ignored: a room's state is what a new subscriber gets.
        c.session().publish(room.room(), room.name(), ByteBufUtil.getBytes(msg.payload()), correlationId, traceparent);
    }

    private void plain(Topics.PlainTopic plain, MqttPublishMessage msg, int qos, int packetId, MqttProperties props) {
        if (c.rt.plainBus == null) {
            refuse(packetId, qos, new EdgeError(ErrorCode.UNAVAILABLE,
                    "plain topics are not enabled on this server", null, null), true);
            return;
        }
        c.rt.plainBus.publish(plain.topic(), Math.min(qos, 1), c.session().connectionId(), props,
                ByteBufUtil.getBytes(msg.payload()));
        if (qos > 0) {
            Pending p = new Pending(packetId, qos, null);
            p.done = true;
            enqueue(p);
            flushAnswers();
        }
    }

    /**
     * Refuses a publish the gateway rejects itself. The error goes to the error topic through the
     * edge (counted there) unless the edge already sent it; a QoS 1/2 publish also gets its answer.
     */
    private void refuse(int packetId, int qos, EdgeError error, boolean report) {
        if (report) {
            c.session().reportError(error.code(), error.message(), null);
        }
        if (qos == 0) {
            return;
        }
        Pending p = new Pending(packetId, qos, null);
        p.done = true;
        p.error = error;
        p.reported = true;
        enqueue(p);
        flushAnswers();
    }

    private void enqueue(Pending p) {
        fifo.add(p);
        byPacketId.put(p.packetId, p);
        if (p.correlationId != null) {
            byCorrelationId.put(p.correlationId, p);
        }
    }

    /**
     * The edge answered a command. False when it was not a pending QoS 1/2 command of this
     * connection (a QoS 0 command, a join): then an error goes to the error topic.
     */
    boolean onDone(String correlationId, EdgeError error) {
        Pending p = correlationId == null ? null : byCorrelationId.remove(correlationId);
        if (p == null) {
            return false;
        }
        p.done = true;
        p.error = error;
        flushAnswers();
        return true;
    }

    private void flushAnswers() {
        Pending head;
        while ((head = fifo.peek()) != null && head.done) {
            fifo.poll();
            byPacketId.remove(head.packetId);
            answer(head);
        }
    }

    private void answer(Pending p) {
        MqttMessageType type = p.qos == QOS_2 ? MqttMessageType.PUBREC : MqttMessageType.PUBACK;
        if (p.error == null || !c.isV5()) {
            c.write(Packets.pubReply(type, p.packetId, ReasonCodes.SUCCESS, MqttProperties.NO_PROPERTIES));
            if (p.qos == QOS_2) {
                awaitingRelease.add(p.packetId);
            }
            if (p.error != null && !p.reported) {
                // MQTT 3.1.1 acks cannot refuse: the reason goes to the client's error topic.
                c.subscriptions().deliverError(withCorrelation(p));
            }
            return;
        }
        MqttProperties props = c.outbound().problemInformation()
                ? Packets.reasonProperties(p.error.message()) : new MqttProperties();
        if (c.outbound().problemInformation()) {
            props.add(new MqttProperties.UserProperty("code", p.error.code().wireName()));
            if (p.correlationId != null) {
                props.add(new MqttProperties.UserProperty("correlationId", p.correlationId));
            }
        }
        c.write(Packets.pubReply(type, p.packetId, ReasonCodes.puback(p.error.code()), props));
    }

    private static EdgeError withCorrelation(Pending p) {
        EdgeError e = p.error;
        return e.correlationId() != null || p.correlationId == null ? e
                : new EdgeError(e.code(), e.message(), p.correlationId, e.room());
    }

    void onPubRel(int packetId) {
        int reason = awaitingRelease.remove(packetId) ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND;
        c.write(Packets.pubReply(MqttMessageType.PUBCOMP, packetId, c.isV5() ? reason : ReasonCodes.SUCCESS,
                MqttProperties.NO_PROPERTIES));
    }

    /** MQTT 5 correlation data if given, else for QoS 1/2 a per-connection id, else null (the edge mints one). */
    private String correlationId(MqttProperties props, int qos, int packetId) {
        MqttProperties.MqttProperty<?> data = props.getProperty(MqttProperties.CORRELATION_DATA);
        if (data != null) {
            return correlationText((byte[]) data.value());
        }
        if (qos == 0) {
            return null;
        }
        String id = c.clientId();
        String client = id.length() <= 64 ? id : HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8), 0, 16);
        return "mqtt:" + client + ':' + connectionTag + ':' + (++counter) + ':' + packetId;
    }

    /** Correlation data as text: itself when it is UTF-8, else hex. */
    static String correlationText(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return HexFormat.of().formatHex(data);
        }
    }

    private static String userProperty(MqttProperties props, String name) {
        for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
            if (p instanceof MqttProperties.UserProperty u && name.equals(u.value().key)) {
                return u.value().value;
            }
            if (p instanceof MqttProperties.UserProperties us) {
                for (MqttProperties.StringPair pair : us.value()) {
                    if (name.equals(pair.key)) {
                        return pair.value;
                    }
                }
            }
        }
        return null;
    }
}
