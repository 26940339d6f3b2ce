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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The client's PUBLISH packets: commands to rooms, plain messages to the broker, refusals. QoS 1
 * and 2 publishes are answered (PUBACK, PUBREC) strictly in the order they arrived, each only once
 * the engine committed or refused it: the edge keeps one command in flight per room, and this FIFO
 * keeps the order across rooms. In a persistent session the correlationId of each QoS 1/2 command
 * is stored under its packet id before the command leaves (a resend with DUP after a reconnect
 * reuses it, so the engine applies it once), and PUBREC/PUBCOMP leave only once the packet ids
 * awaiting PUBREL are stored. Confined to the connection's event loop.
 */
final class InboundCommands {
    private static final int QOS_2 = 2;
    /** Packet id to correlationId entries a session remembers (most recent kept): far more than any window. */
    static final int MAX_REMEMBERED_IDS = 256;

    private final MqttConnection c;
    private final ArrayDeque<Pending> fifo = new ArrayDeque<>();
    private final Map<String, Pending> byCorrelationId = new HashMap<>();
    private final Map<Integer, Pending> byPacketId = new HashMap<>();
    /** QoS 2 packet ids answered with PUBREC and waiting for their PUBREL. */
    private final Set<Integer> awaitingRelease = new LinkedHashSet<>();
    /** Persistent sessions: packet id to the correlationId its command was sent with, most recent last. */
    private final LinkedHashMap<Integer, String> inboundIds = new LinkedHashMap<>();
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
        if (c.isV5() && !PublishProperties.payloadFormatHolds(props, msg.payload())) {
            refuse(packetId, qos, new EdgeError(ErrorCode.BAD_PAYLOAD,
                    "the payload format indicator says UTF-8 but the payload is not UTF-8", null, null), true);
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
        // The receive maximum counts QoS 1 publishes until PUBACK and QoS 2 ones until PUBCOMP.
        if (qos > 0 && fifo.size() + awaitingRelease.size() >= c.rt.config.receiveMaximum()) {
            c.closeWith(ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + c.rt.config.receiveMaximum() + " QoS 1 and 2 publishes unanswered");
            return false;
        }
        return true;
    }

    private void command(Topics.RoomTopic room, MqttPublishMessage msg, int qos, int packetId, MqttProperties props) {
        String correlationId = correlationId(props, qos, packetId, msg.fixedHeader().isDup());
        if (qos > 0) {
            enqueue(new Pending(packetId, qos, correlationId));
        }
        String traceparent = PublishProperties.traceparent(props);
        byte[] payload = ByteBufUtil.getBytes(msg.payload());
        // The retain flag of a command is ignored: a room's state is what a new subscriber gets.
        Runnable send = () -> c.session().publish(room.room(), room.name(), payload, correlationId, traceparent);
        MqttSession persistence = c.persistence();
        if (qos > 0 && persistence != null) {
            // The correlationId is stored before the command leaves: a retry after a crash finds it.
            persistence.saveThen(send);
        } else {
            send.run();
        }
    }

    private void plain(Topics.PlainTopic plain, MqttPublishMessage msg, int qos, int packetId, MqttProperties props) {
        if (c.rt.plainBus == null) {
            refuse(packetId, qos, new EdgeError(ErrorCode.UNAVAILABLE,
                    "plain topics are not enabled on this server", null, null), true);
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(msg.payload());
        c.rt.plainBus.publish(plain.topic(), qos, msg.fixedHeader().isRetain(), c.session().connectionId(), props,
                payload);
        if (msg.fixedHeader().isRetain() && c.rt.retained != null) {
            retain(plain.topic(), qos, packetId, props, payload);
            return;
        }
        if (qos > 0) {
            Pending p = new Pending(packetId, qos, null);
            p.done = true;
            enqueue(p);
            flushAnswers();
        }
    }

    /** A retained plain publish: answered once the retained message is stored (or refused). */
    private void retain(String topic, int qos, int packetId, MqttProperties props, byte[] payload) {
        Pending p = qos > 0 ? new Pending(packetId, qos, null) : null;
        if (p != null) {
            enqueue(p);
        }
        c.rt.retained.retain(topic, qos, props, payload).whenComplete((ok, err) -> c.post(() -> {
            if (err != null || !Boolean.TRUE.equals(ok)) {
                EdgeError e = err != null
                        ? new EdgeError(ErrorCode.UNAVAILABLE, "the retained message could not be stored", null, null)
                        : new EdgeError(ErrorCode.RATE_LIMITED, "retained messages: at most "
                                + RetainedMessages.MAX_TOPICS + " topics of at most " + RetainedMessages.MAX_TOPIC_BYTES
                                + " bytes", null, null);
                c.session().reportError(e.code(), e.message(), null);
                if (p != null) {
                    p.error = e;
                    p.reported = true;
                }
            }
            if (p != null) {
                p.done = true;
                flushAnswers();
            }
        }));
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
        MqttSession persistence = c.persistence();
        if (persistence == null) {
            send(p);
        } else if (p.qos == QOS_2 && (p.error == null || !c.isV5())) {
            // PUBREC leaves once the packet id awaiting PUBREL is stored.
            awaitingRelease.add(p.packetId);
            persistence.saveThen(() -> send(p));
        } else {
            persistence.inOrder(() -> send(p));
        }
    }

    private void send(Pending p) {
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

    /**
     * PUBREL: the QoS 2 publish is released; PUBCOMP leaves once that is stored (MQTT 5: reason 0x92
     * for a packet id not awaiting release). The packet id may then carry a new message.
     */
    void onPubRel(int packetId) {
        boolean known = awaitingRelease.remove(packetId);
        int reason = known || !c.isV5() ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_ID_NOT_FOUND;
        Runnable answer = () -> c.write(Packets.pubReply(MqttMessageType.PUBCOMP, packetId, reason,
                MqttProperties.NO_PROPERTIES));
        MqttSession persistence = c.persistence();
        if (persistence != null && known) {
            persistence.saveThen(answer);
        } else if (persistence != null) {
            persistence.inOrder(answer);
        } else {
            answer.run();
        }
    }

    /**
     * MQTT 5 correlation data if given; else for QoS 1/2 an id unique to the connection or, in a
     * persistent session, to the session (a resend with DUP of a packet id reuses the id stored for
     * it); else null (the edge mints one).
     */
    private String correlationId(MqttProperties props, int qos, int packetId, boolean dup) {
        MqttProperties.MqttProperty<?> data = props.getProperty(MqttProperties.CORRELATION_DATA);
        if (data != null) {
            return correlationText((byte[]) data.value());
        }
        if (qos == 0) {
            return null;
        }
        String id = c.clientId();
        String client = id.length() <= 64 ? id : HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8), 0, 16);
        MqttSession persistence = c.persistence();
        if (persistence == null) {
            return "mqtt:" + client + ':' + connectionTag + ':' + (++counter) + ':' + packetId;
        }
        String known = dup ? inboundIds.get(packetId) : null;
        if (known != null) {
            return known;
        }
        String minted = "mqtt:" + client + ':' + persistence.tag + ':' + (++persistence.counter) + ':' + packetId;
        inboundIds.remove(packetId);
        inboundIds.put(packetId, minted);
        if (inboundIds.size() > MAX_REMEMBERED_IDS) {
            inboundIds.remove(inboundIds.keySet().iterator().next());
        }
        return minted;
    }

    /** What a persistent session stores of the inbound side. */
    void exportTo(SessionState s) {
        s.inboundIds.putAll(inboundIds);
        s.awaitingRelease.addAll(awaitingRelease);
    }

    void restore(SessionState s) {
        inboundIds.putAll(s.inboundIds);
        awaitingRelease.addAll(s.awaitingRelease);
    }

    /** Correlation data as text: itself when it is UTF-8, else hex. */
    static String correlationText(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return HexFormat.of().formatHex(data);
        }
    }
}
