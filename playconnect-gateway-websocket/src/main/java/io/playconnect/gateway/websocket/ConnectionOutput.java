package io.playconnect.gateway.websocket;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.EncodingKey;
import io.playconnect.edge.OutboundEvent;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.SessionOutput;

/**
 * What the edge says to one WebSocket client, as text frames. Events are encoded once per event
 * for every WebSocket subscriber of the process ({@link #EVENT_FRAME}); everything else is small
 * and per session.
 */
final class ConnectionOutput implements SessionOutput {
    /** The event frame {@code {"op":"event","event":<envelope>}}, header included: one per event, shared. */
    static final EncodingKey<EventFrame> EVENT_FRAME = EncodingKey.create(WebSocketGateway.PROTOCOL);

    private final FrameWriter writer;

    ConnectionOutput(FrameWriter writer) {
        this.writer = writer;
    }

    @Override
    public void joined(RoomId room, String epoch, long seq, boolean recovered) {
        writer.text(ServerFrames.joined(room, epoch, seq, recovered));
    }

    @Override
    public void snapshot(RoomSnapshot snapshot) {
        writer.text(ServerFrames.snapshot(snapshot));
    }

    @Override
    public void event(RoomId room, OutboundEvent event) {
        writer.event(event.encoded(EVENT_FRAME, EventFrame::of));
    }

    @Override
    public void ack(String correlationId, RoomId room, String epoch, long seq) {
        writer.text(ServerFrames.ack(correlationId, room, epoch, seq));
    }

    @Override
    public void error(EdgeError error) {
        writer.text(ServerFrames.error(error));
    }

    @Override
    public void presence(RoomId room, PresenceUpdate update) {
        writer.text(ServerFrames.presence(room, update));
    }

    @Override
    public void close(CloseReason reason) {
        writer.close(CloseCodes.of(reason.kind()), reason.text());
    }
}
