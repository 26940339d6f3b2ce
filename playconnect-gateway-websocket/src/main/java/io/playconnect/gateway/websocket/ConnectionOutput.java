package io.playconnect.gateway.websocket;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.EncodingKey;
import io.playconnect.edge.OutboundEvent;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.SessionOutput;

import java.util.concurrent.Executor;

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

    /** The connection's event loop: the edge drains this session there, and frames go out without a hand-off. */
    @Override
    public Executor executor() {
        return writer.eventLoop();
    }

    @Override
    public void flush() {
        // The edge ends every run of calls with this: what the run wrote directly goes out now.
        writer.flush();
    }

    @Override
    public void joined(RoomId room, String epoch, long seq, boolean recovered) {
        writer.textInRun(ServerFrames.joined(room, epoch, seq, recovered));
    }

    @Override
    public void snapshot(RoomSnapshot snapshot) {
        writer.textInRun(ServerFrames.snapshot(snapshot));
    }

    @Override
    public void event(RoomId room, OutboundEvent event) {
        writer.eventInRun(event.encoded(EVENT_FRAME, EventFrame::of));
    }

    @Override
    public void ack(String correlationId, RoomId room, String epoch, long seq) {
        writer.textInRun(ServerFrames.ack(correlationId, room, epoch, seq));
    }

    @Override
    public void error(EdgeError error) {
        writer.textInRun(ServerFrames.error(error));
    }

    @Override
    public void presence(RoomId room, PresenceUpdate update) {
        writer.textInRun(ServerFrames.presence(room, update));
    }

    @Override
    public void close(CloseReason reason) {
        writer.close(CloseCodes.of(reason.kind()), reason.text());
    }
}
