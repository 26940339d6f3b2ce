package io.playconnect.gateway.grpc;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.OutboundEvent;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.SessionOutput;

import java.util.concurrent.Executor;

/**
 * What the edge says to one streaming call (Connect or Subscribe), as {@code ServerMessage}
 * frames. Event frames are shared by every gRPC subscriber; the rest is small and per call. With
 * the call's event loop as its executor, the edge calls it there (see {@link CallLoop}).
 */
final class StreamOutput implements SessionOutput {
    private final StreamWriter writer;
    private final Runnable onAnswer;
    private final Executor loop;

    /**
     * @param onAnswer run after each ack and each error that answers a publish
     * @param loopOrNull the call's event loop, or null for the edge's threads
     */
    StreamOutput(StreamWriter writer, Runnable onAnswer, Executor loopOrNull) {
        this.writer = writer;
        this.onAnswer = onAnswer;
        this.loop = loopOrNull;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public void joined(RoomId room, String epoch, long seq, boolean recovered) {
        writer.write(ProtoFrames.joined(room, epoch, seq, recovered));
    }

    @Override
    public void snapshot(RoomSnapshot snapshot) {
        writer.write(ProtoFrames.snapshot(snapshot));
    }

    @Override
    public void event(RoomId room, OutboundEvent event) {
        writer.write(ProtoFrames.event(event));
    }

    @Override
    public void ack(String correlationId, RoomId room, String epoch, long seq) {
        writer.write(ProtoFrames.ack(correlationId, room, epoch, seq));
        onAnswer.run();
    }

    @Override
    public void error(EdgeError error) {
        writer.write(ProtoFrames.error(error));
        if (error.correlationId() != null) {
            onAnswer.run();
        }
    }

    @Override
    public void presence(RoomId room, PresenceUpdate update) {
        writer.write(ProtoFrames.presence(room, update));
    }

    @Override
    public void close(CloseReason reason) {
        if (reason.kind() == CloseReason.Kind.SLOW_CONSUMER) {
            // The edge dropped this client's queue; what is left here goes too.
            writer.closeNow(Statuses.closed(reason));
        } else {
            writer.close(Statuses.closed(reason));
        }
    }
}
