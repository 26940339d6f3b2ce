package io.playconnect.edge;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names one protocol's encoding of an event, so {@link OutboundEvent#encoded} can keep one
 * encoded form per protocol. Create one per protocol, as a constant.
 *
 * @param <T> the encoded form, shared by every subscriber (immutable, or shareable like a Netty buffer)
 */
public final class EncodingKey<T> {
    /** More keys than this in one process is a bug (keys are constants, one per protocol). */
    static final int MAX_KEYS = 64;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String protocol;
    private final int index;

    private EncodingKey(String protocol, int index) {
        this.protocol = protocol;
        this.index = index;
    }

    public static <T> EncodingKey<T> create(String protocol) {
        Objects.requireNonNull(protocol, "protocol");
        int index = NEXT.getAndIncrement();
        if (index >= MAX_KEYS) {
            throw new IllegalStateException("more than " + MAX_KEYS + " encoding keys: create them once, as constants");
        }
        return new EncodingKey<>(protocol, index);
    }

    /** The protocol the encodes are counted under ({@link EdgeMetrics#ENCODES}). */
    public String protocol() {
        return protocol;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return "EncodingKey[" + protocol + '#' + index + ']';
    }
}
