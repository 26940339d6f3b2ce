package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.playconnect.core.RoomId;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.function.Consumer;

/**
 * SUBACKs held back until every room their SUBSCRIBE joined has answered (joined, or refused with
 * an error), so that whatever is published after a client's SUBACK reaches it as an event instead
 * of being folded into the room's state message. MQTT lets the server send matching PUBLISH packets
 * before the SUBACK. SUBACKs leave in SUBSCRIBE order. Confined to the connection's event loop.
 */
final class PendingSubAcks {
    private record Pending(MqttMessage ack, Set<RoomId> waiting) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Consumer<MqttMessage> writer;

    PendingSubAcks(Consumer<MqttMessage> writer) {
        this.writer = writer;
    }

    /** Sends {@code ack} once the rooms in {@code joining} (changed by this class) have answered. */
    void add(MqttMessage ack, Set<RoomId> joining) {
        queue.add(new Pending(ack, joining));
        release();
    }

    /** The room joined, its join failed, or the client left it before either. */
    void answered(RoomId room) {
        if (queue.isEmpty()) {
            return;
        }
        for (Pending p : queue) {
            p.waiting.remove(room);
        }
        release();
    }

    private void release() {
        while (!queue.isEmpty() && queue.peek().waiting.isEmpty()) {
            writer.accept(queue.poll().ack);
        }
    }
}
