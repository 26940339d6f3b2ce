package io.playconnect.gateway.mqtt;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.OutboundEvent;
import io.playconnect.edge.SessionOutput;

/**
 * What the edge tells one MQTT connection, handed over to the connection's event loop in the
 * order the edge said it. An event's topic and payload buffer are made once for every MQTT
 * subscriber ({@link MqttEvent#of}), on the edge thread that first delivers it.
 */
final class EdgeOutput implements SessionOutput {
    private final MqttConnection connection;

    EdgeOutput(MqttConnection connection) {
        this.connection = connection;
    }

    @Override
    public void joined(RoomId room, String epoch, long seq, boolean recovered) {
        connection.post(() -> connection.subscriptions().onJoined(room, epoch, seq, recovered));
    }

    @Override
    public void snapshot(RoomSnapshot snapshot) {
        connection.post(() -> connection.subscriptions().onSnapshot(snapshot));
    }

    @Override
    public void event(RoomId room, OutboundEvent event) {
        MqttEvent encoded = MqttEvent.of(event);
        String epoch = event.epoch();
        long seq = event.seq();
        connection.post(() -> connection.subscriptions().onEvent(room, encoded, epoch, seq));
    }

    @Override
    public void ack(String correlationId, RoomId room, String epoch, long seq) {
        connection.post(() -> connection.onCommandDone(correlationId, null));
    }

    @Override
    public void error(EdgeError error) {
        connection.post(() -> connection.onCommandDone(error.correlationId(), error));
    }

    @Override
    public void close(CloseReason reason) {
        connection.post(() -> connection.onEdgeClose(reason));
    }
}
