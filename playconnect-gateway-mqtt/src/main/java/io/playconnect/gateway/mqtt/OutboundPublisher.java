package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PUBLISH packets to one client, in order: QoS 1 and 2 ones take a packet id and a slot of the
 * in-flight window (the client's receive maximum, capped by the gateway's and, for a persistent
 * session, by {@link MqttConfig#sessionMaxInflight()}) until the client's PUBACK or PUBCOMP; QoS 0
 * ones need no slot but never overtake what is queued before them. What waits for the window is
 * bounded: past {@link MqttConfig#maxQueuedPublishes()} the connection reports itself unwritable
 * and the edge queues (and, past its limits, closes a slow consumer). What is in flight is kept
 * (payload included) so that a persistent session can resend it on reconnect with its packet id
 * and DUP. Confined to the connection's event loop.
 */
final class OutboundPublisher {
    static final int MAX_PACKET_ID = 65535;

    private final MqttConnection c;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    /** Packet id to what is in flight, in the order the ids were taken. */
    private final Map<Integer, Inflight> inflight = new LinkedHashMap<>();
    private int window;
    private int clientMaxPacket = Integer.MAX_VALUE;
    private boolean noProblemInformation;
    private int nextId = 1;
    private long dropped;
    private long expired;
    private PositionListener positions = mark -> { };

    /** Told when a room event left the queue: the session's position in that room moves on. */
    interface PositionListener {
        void passed(Mark mark);
    }

    /** A room position an item carries: the event's room, epoch and seq. */
    record Mark(io.playconnect.core.RoomId room, String epoch, long seq) {
    }

    /** A queued publish; {@code topic} null is a position mark only (an event no filter wanted). */
    /** {@code expiresAt}: wall-clock millis after which the message is not sent (MQTT 5 Message Expiry), or -1. */
    private record Item(String topic, ByteBuf payload, int qos, boolean retain, MqttProperties properties, Mark mark,
                        long expiresAt) {
    }

    /**
     * A QoS 1/2 publish not yet completed. {@code released}: a QoS 2 publish the client answered
     * with PUBREC (the payload is gone; only PUBREL/PUBCOMP remain).
     */
    static final class Inflight {
        final int packetId;
        final int qos;
        final String topic;
        final boolean retain;
        final MqttProperties properties;
        ByteBuf payload;
        boolean released;

        Inflight(int packetId, int qos, String topic, boolean retain, MqttProperties properties, ByteBuf payload) {
            this.packetId = packetId;
            this.qos = qos;
            this.topic = topic;
            this.retain = retain;
            this.properties = properties;
            this.payload = payload;
        }
    }

    OutboundPublisher(MqttConnection connection) {
        this.c = connection;
        this.window = connection.rt.config.receiveMaximum();
    }

    /** From an MQTT 5 CONNECT: the client's receive maximum and maximum packet size (null: not given). */
    void configure(Integer receiveMaximum, Integer maximumPacketSize, boolean noProblemInformation) {
        if (receiveMaximum != null && receiveMaximum > 0) {
            window = Math.min(window, receiveMaximum);
        }
        if (maximumPacketSize != null && maximumPacketSize > 0) {
            clientMaxPacket = maximumPacketSize;
        }
        this.noProblemInformation = noProblemInformation;
    }

    /** A persistent session stores what is in flight: its window is also capped by the session's limit. */
    void persistent(PositionListener listener) {
        window = Math.min(window, c.rt.config.sessionMaxInflight());
        positions = listener;
    }

    /** Whether reason strings and user properties may go in acks (MQTT 5 "request problem information"). */
    boolean problemInformation() {
        return !noProblemInformation;
    }

    void publish(String topic, ByteBuf payload, int qos, MqttProperties properties) {
        publish(topic, payload, qos, false, properties, null);
    }

    /**
     * Queues a publish. {@code payload} may be shared: the packet uses its own retained duplicate.
     * A packet over the client's maximum packet size is dropped, as MQTT 5 requires. {@code mark},
     * if given, is the room position this publish completes.
     */
    void publish(String topic, ByteBuf payload, int qos, boolean retain, MqttProperties properties, Mark mark) {
        long expiry = PublishProperties.expirySeconds(properties);
        // 3 bytes: a Topic Alias property V5Codec may add.
        if (expiry == 0 || clientMaxPacket != Integer.MAX_VALUE
                && PacketSize.publish(topic, qos, payload.readableBytes(), properties) + 3 > clientMaxPacket) {
            // Too large for the client, or expired before it got here: as if it had been sent.
            dropped++;
            mark(mark);
            return;
        }
        long expiresAt = expiry < 0 ? -1 : System.currentTimeMillis() + expiry * 1000;
        queue.add(new Item(topic, payload.retainedDuplicate(), qos, retain,
                c.isV5() ? properties : MqttProperties.NO_PROPERTIES, mark, expiresAt));
        pump();
        c.updateWritable();
    }

    /** A room event this client does not receive still moves its position, in queue order. */
    void mark(Mark mark) {
        if (mark == null) {
            return;
        }
        if (queue.isEmpty()) {
            positions.passed(mark);
        } else {
            queue.add(new Item(null, null, 0, false, MqttProperties.NO_PROPERTIES, mark, -1));
        }
    }

    /** Writes what the window and the socket allow. */
    void pump() {
        Item head;
        while ((head = queue.peek()) != null) {
            if (head.topic == null) {
                queue.poll();
                positions.passed(head.mark);
                continue;
            }
            if (head.qos > 0 && inflight.size() >= window) {
                return;
            }
            if (!c.ctx().channel().isWritable()) {
                // The socket is backed up: keep the rest here until it drains (bounded, see above).
                return;
            }
            queue.poll();
            MqttProperties properties = head.properties;
            if (head.expiresAt >= 0) {
                long now = System.currentTimeMillis();
                if (now >= head.expiresAt) {
                    // Expired while waiting for the window: this client's copy is deleted (MQTT 5).
                    head.payload.release();
                    expired++;
                    if (head.mark != null) {
                        positions.passed(head.mark);
                    }
                    continue;
                }
                properties = PublishProperties.forDelivery(properties, head.expiresAt, now, List.of());
            }
            int id = 0;
            if (head.qos > 0) {
                id = allocate();
                inflight.put(id, new Inflight(id, head.qos, head.topic, head.retain, properties,
                        head.payload.retainedDuplicate()));
                c.sessionChanged();
            }
            c.write(Packets.publish(head.topic, head.qos, id, false, head.retain, head.payload, properties));
            if (head.mark != null) {
                positions.passed(head.mark);
            }
        }
    }

    private int allocate() {
        for (int i = 0; i < MAX_PACKET_ID && inflight.containsKey(nextId); i++) {
            nextId = nextId == MAX_PACKET_ID ? 1 : nextId + 1;
        }
        int id = nextId;
        nextId = nextId == MAX_PACKET_ID ? 1 : nextId + 1;
        return id;
    }

    /** The client acknowledged a QoS 1 publish; an unknown id (or one of a QoS 2 publish) is ignored. */
    void onPubAck(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.qos != 1) {
            return;
        }
        complete(f);
    }

    /**
     * PUBREC for a QoS 2 publish: the client has it; answer PUBREL (again, when resent). For an id
     * not in flight the answer is PUBREL with 0x92 (packet identifier not found) on MQTT 5.
     */
    void onPubRec(int packetId, int reason) {
        Inflight f = inflight.get(packetId);
        if (reason >= 0x80 && f != null && f.qos == 2 && !f.released) {
            // The client refused the message (MQTT 5): the exchange ends here, without PUBREL.
            complete(f);
            return;
        }
        onPubRec(packetId);
    }

    void onPubRec(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f == null || f.qos != 2) {
            c.write(Packets.pubReply(MqttMessageType.PUBREL, packetId,
                    c.isV5() ? ReasonCodes.PACKET_ID_NOT_FOUND : ReasonCodes.SUCCESS, MqttProperties.NO_PROPERTIES));
            return;
        }
        if (!f.released) {
            f.released = true;
            f.payload.release();
            f.payload = null;
            c.sessionChanged();
        }
        c.write(Packets.pubReply(MqttMessageType.PUBREL, packetId, ReasonCodes.SUCCESS, MqttProperties.NO_PROPERTIES));
    }

    /** PUBCOMP: a QoS 2 publish is complete; an unknown id is ignored. */
    void onPubComp(int packetId) {
        Inflight f = inflight.get(packetId);
        if (f != null && f.qos == 2 && f.released) {
            complete(f);
        }
    }

    private void complete(Inflight f) {
        inflight.remove(f.packetId);
        if (f.payload != null) {
            f.payload.release();
        }
        c.sessionChanged();
        pump();
        c.updateWritable();
    }

    /** What is in flight, in the order it was sent (a persistent session stores it). */
    List<Inflight> inflight() {
        return new ArrayList<>(inflight.values());
    }

    /**
     * A resumed session's publishes in flight: sent again at once with their packet ids, PUBLISH
     * with DUP or, for released QoS 2 ones, PUBREL. They hold window slots like any other.
     */
    void resume(List<Inflight> restored) {
        for (Inflight f : restored) {
            if (inflight.containsKey(f.packetId)) {
                continue;
            }
            inflight.put(f.packetId, f);
            nextId = f.packetId == MAX_PACKET_ID ? 1 : f.packetId + 1;
            if (f.released) {
                c.write(Packets.pubReply(MqttMessageType.PUBREL, f.packetId, ReasonCodes.SUCCESS,
                        MqttProperties.NO_PROPERTIES));
            } else {
                MqttProperties props = c.isV5() ? f.properties : MqttProperties.NO_PROPERTIES;
                c.write(Packets.publish(f.topic, f.qos, f.packetId, true, f.retain, f.payload.retainedDuplicate(),
                        props));
            }
        }
    }

    int queued() {
        return queue.size();
    }

    int inFlight() {
        return inflight.size();
    }

    /** Publishes dropped for the client's maximum packet size, or expired before they were queued. */
    long dropped() {
        return dropped;
    }

    /** Publishes whose Message Expiry Interval ran out while they waited for the window. */
    long expired() {
        return expired;
    }

    /** The connection is gone: frees the queued duplicates and what was in flight. */
    void release() {
        Item item;
        while ((item = queue.poll()) != null) {
            if (item.payload != null) {
                item.payload.release();
            }
        }
        for (Inflight f : inflight.values()) {
            if (f.payload != null) {
                f.payload.release();
                f.payload = null;
            }
        }
        inflight.clear();
    }
}
