package io.playconnect.core.spi;

import io.playconnect.core.RoomId;

import java.util.Objects;

/**
 * The argument checks every {@link RoomLog} implementation makes, in one place so that the
 * implementations refuse bad input with the same exception types and messages the contract suites
 * expect. Each check throws; implementations catch and return a failed future.
 */
public final class RoomLogArguments {
    private RoomLogArguments() {
    }

    /** {@link RoomLog#read}: a room, {@code fromSeq >= 0} and {@code max >= 1}. */
    public static void checkRead(RoomId room, long fromSeq, int max) {
        Objects.requireNonNull(room, "room");
        if (fromSeq < 0) {
            throw new IllegalArgumentException("fromSeq must be >= 0: " + fromSeq);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1: " + max);
        }
    }

    /** {@link RoomLog#reset}: a room and {@code nextSeq >= 1}. */
    public static void checkReset(RoomId room, long nextSeq) {
        Objects.requireNonNull(room, "room");
        if (nextSeq < 1) {
            throw new IllegalArgumentException("nextSeq must be >= 1: " + nextSeq);
        }
    }

    /** {@link RoomLog#subscribe}: a room and a listener. */
    public static void checkSubscribe(RoomId room, RoomLog.RecordListener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
    }

    /** {@link RoomLog#append}: the record's seq follows {@code expectedLastSeq} directly. */
    public static void checkNextSeq(LogRecord record, long expectedLastSeq) {
        if (record.seq() != expectedLastSeq + 1) {
            throw new IllegalArgumentException("record seq must be expectedLastSeq + 1: seq " + record.seq()
                    + ", expectedLastSeq " + expectedLastSeq);
        }
    }

    /**
     * {@link RoomLog#append}: the record's data fits the broker's largest message, or
     * {@link BrokerException.Reason#TOO_LARGE}.
     */
    public static void checkSize(LogRecord record, int maxMessageSize) {
        if (record.data().length > maxMessageSize) {
            throw new BrokerException(BrokerException.Reason.TOO_LARGE, "record of " + record.data().length
                    + " bytes exceeds the broker's maximum of " + maxMessageSize);
        }
    }
}
