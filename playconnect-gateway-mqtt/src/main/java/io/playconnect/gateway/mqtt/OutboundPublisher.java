package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;

import java.util.ArrayDeque;

/**
 * PUBLISH packets to one client, in order: QoS 1 ones take a packet id and a slot of the in-flight
 * window (the client's receive maximum, capped by the gateway's) until the client's PUBACK; QoS 0
 * ones need no slot but never overtake what is queued before them. What waits for the window is
 * bounded: past {@link MqttConfig#maxQueuedPublishes()} the connection reports itself unwritable
 * and the edge queues (and, past its limits, closes a slow consumer). Clean sessions only, so
 * nothing is resent. Confined to the connection's event loop.
 */
final class OutboundPublisher {
    private static final int MAX_PACKET_ID = 65535;

    private final MqttConnection c;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final boolean[] inUse = new boolean[MAX_PACKET_ID + 1];
    private int window;
    private int clientMaxPacket = Integer.MAX_VALUE;
    private boolean noProblemInformation;
    private int inFlight;
    private int nextId = 1;
    private long dropped;

    private record Item(String topic, ByteBuf payload, int qos, MqttProperties properties) {
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

    /** Whether reason strings and user properties may go in acks (MQTT 5 "request problem information"). */
    boolean problemInformation() {
        return !noProblemInformation;
    }

    /**
     * Queues a publish. {@code payload} may be shared: the packet uses its own retained duplicate.
     * A packet over the client's maximum packet size is dropped, as MQTT 5 requires.
     */
    void publish(String topic, ByteBuf payload, int qos, MqttProperties properties) {
        int propertyBytes = properties == MqttEvent.JSON_PROPERTIES ? MqttEvent.JSON_PROPERTY_BYTES
                : properties.isEmpty() ? 0 : 64;
        if (clientMaxPacket != Integer.MAX_VALUE
                && Packets.publishSizeBound(topic, payload.readableBytes(), propertyBytes) > clientMaxPacket) {
            dropped++;
            return;
        }
        queue.add(new Item(topic, payload.retainedDuplicate(), qos, c.isV5() ? properties : MqttProperties.NO_PROPERTIES));
        pump();
        c.updateWritable();
    }

    /** Writes what the window and the socket allow. */
    void pump() {
        Item head;
        while ((head = queue.peek()) != null) {
            if (head.qos > 0 && inFlight >= window) {
                return;
            }
            if (!c.ctx().channel().isWritable()) {
                // The socket is backed up: keep the rest here until it drains (bounded, see above).
                return;
            }
            queue.poll();
            int id = 0;
            if (head.qos > 0) {
                id = allocate();
                inFlight++;
            }
            c.write(Packets.publish(head.topic, head.qos, id, head.payload, head.properties));
        }
    }

    private int allocate() {
        while (inUse[nextId]) {
            nextId = nextId == MAX_PACKET_ID ? 1 : nextId + 1;
        }
        int id = nextId;
        inUse[id] = true;
        nextId = nextId == MAX_PACKET_ID ? 1 : nextId + 1;
        return id;
    }

    /** The client acknowledged a QoS 1 publish; an unknown id is ignored. */
    void onPubAck(int packetId) {
        if (packetId < 1 || packetId > MAX_PACKET_ID || !inUse[packetId]) {
            return;
        }
        inUse[packetId] = false;
        inFlight--;
        pump();
        c.updateWritable();
    }

    int queued() {
        return queue.size();
    }

    int inFlight() {
        return inFlight;
    }

    /** Publishes dropped for the client's maximum packet size. */
    long dropped() {
        return dropped;
    }

    /** The connection is gone: frees the queued duplicates. */
    void release() {
        Item item;
        while ((item = queue.poll()) != null) {
            item.payload.release();
        }
    }
}
