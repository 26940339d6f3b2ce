package io.playconnect.core;

import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValueConfig;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a {@link Command} to the engine that owns its room and turns the broker's outcome into a
 * {@link CommandResult}: nobody subscribed becomes {@link ErrorCode#NO_OWNER}, no reply in time
 * becomes {@link ErrorCode#OUTCOME_UNKNOWN}. Retrying is the caller's policy (the edge's).
 */
public final class CommandSender {
    private final Broker broker;
    private final Partitioner partitioner;
    private final EnvelopeCodec codec = EnvelopeCodec.instance();

    public CommandSender(Broker broker, Partitioner partitioner) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
    }

    /**
     * Reads the partition count the engines recorded in the broker's key-value store. Completes
     * with {@code null} when no engine has recorded it yet.
     */
    public static CompletableFuture<Partitioner> readPartitioner(Broker broker) {
        return broker.keyValue(KeyValueConfig.newBuilder(Subjects.CONFIG_BUCKET).build())
                .get(Subjects.PARTITIONS_KEY)
                .thenApply(e -> e.map(v -> new Partitioner(Integer.parseInt(
                        new String(v.value(), StandardCharsets.US_ASCII).trim()))).orElse(null));
    }

    public Partitioner partitioner() {
        return partitioner;
    }

    /**
     * Asks the room's owner for its current state. Fails with a {@link SyncException}: a
     * {@link ErrorCode#NO_OWNER}, {@link ErrorCode#OUTCOME_UNKNOWN} (timeout) or the engine's own
     * rejection (e.g. {@link ErrorCode#UNKNOWN_KIND}).
     */
    public CompletableFuture<RoomSnapshot> fetchState(RoomId room, Duration timeout) {
        String subject = Subjects.state(partitioner.partitionOf(room));
        byte[] body = room.value().getBytes(StandardCharsets.UTF_8);
        return broker.request(subject, body, timeout).handle((msg, err) -> {
            if (err != null) {
                CommandResult.Rejected r = (CommandResult.Rejected) translate(err, timeout);
                throw new SyncException(r.code(), r.message());
            }
            byte[] data = msg.data();
            if (isRejection(data)) {
                CommandResult.Rejected r = (CommandResult.Rejected) codec.decodeResult(data);
                throw new SyncException(r.code(), r.message());
            }
            return codec.decodeSnapshot(data);
        });
    }

    private static boolean isRejection(byte[] data) {
        return data.length > 6 && data[2] == 'o' && data[3] == 'k' && data[6] == 'f';
    }

    public CompletableFuture<CommandResult> send(Command command, Duration timeout) {
        String subject = Subjects.commands(partitioner.partitionOf(command.room()));
        byte[] bytes = codec.encodeCommand(command);
        return broker.request(subject, bytes, timeout).handle((msg, err) -> {
            if (err == null) {
                return codec.decodeResult(msg.data());
            }
            return translate(err, timeout);
        });
    }

    private static CommandResult translate(Throwable err, Duration timeout) {
        BrokerException.Reason reason = BrokerException.reasonOf(err);
        if (reason == BrokerException.Reason.NO_RESPONDERS) {
            return CommandResult.rejected(ErrorCode.NO_OWNER, "no engine owns the room's partition yet");
        }
        if (reason == BrokerException.Reason.TIMEOUT) {
            return CommandResult.rejected(ErrorCode.OUTCOME_UNKNOWN,
                    "no answer in " + timeout.toMillis() + " ms; retry with the same correlationId");
        }
        if (reason == BrokerException.Reason.TOO_LARGE) {
            return CommandResult.rejected(ErrorCode.PAYLOAD_TOO_LARGE, "command exceeds the broker's message size");
        }
        return CommandResult.rejected(ErrorCode.UNAVAILABLE, "broker unavailable: " + err.getMessage());
    }
}
