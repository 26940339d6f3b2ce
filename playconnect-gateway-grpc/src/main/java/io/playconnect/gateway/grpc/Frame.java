package io.playconnect.gateway.grpc;

import com.google.protobuf.MessageLite;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * One serialized {@code ServerMessage}, written as is. An event's frame is made once and the same
 * bytes go to every gRPC subscriber: the marshaller streams the bytes instead of serializing a
 * message per call, which the generated protobuf marshaller would do.
 */
final class Frame {
    /** The response marshaller of the streaming methods. Parsing is for tests and tools only. */
    static final MethodDescriptor.Marshaller<Frame> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Frame frame) {
            return new FrameStream(frame.bytes);
        }

        @Override
        public Frame parse(InputStream stream) {
            try {
                return new Frame(stream.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException("reading a frame failed", e);
            }
        }
    };

    private final byte[] bytes;

    private Frame(byte[] bytes) {
        this.bytes = bytes;
    }

    static Frame of(MessageLite message) {
        return new Frame(Objects.requireNonNull(message, "message").toByteArray());
    }

    /** The serialized message; shared, never modify it. */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return bytes.length;
    }

    /** Lets grpc-java learn the length up front and copy the bytes straight into its buffer. */
    private static final class FrameStream extends ByteArrayInputStream implements KnownLength, Drainable {
        FrameStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
