package io.playconnect.gateway.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request message, or why it could not be read. The generated marshaller throws on bytes that
 * are not valid protobuf, and grpc-java turns that into an untyped failure; reading into this
 * instead lets the handlers answer INVALID_ARGUMENT with the {@code bad_request} code.
 *
 * @param message the message, or null when it could not be parsed
 * @param size its serialized size in bytes (charged to the session's rate limits)
 * @param problem why parsing failed, or null
 */
record Parsed<T extends MessageLite>(T message, int size, String problem) {

    boolean ok() {
        return message != null;
    }

    static <T extends MessageLite> MethodDescriptor.Marshaller<Parsed<T>> marshaller(T defaultInstance) {
        @SuppressWarnings("unchecked")
        Parser<T> parser = (Parser<T>) defaultInstance.getParserForType();
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<T> value) {
                return new java.io.ByteArrayInputStream(value.message().toByteArray());
            }

            @Override
            public Parsed<T> parse(InputStream stream) {
                byte[] bytes;
                try {
                    bytes = stream.readAllBytes();
                } catch (IOException e) {
                    return new Parsed<>(null, 0, "the message could not be read");
                }
                try {
                    return new Parsed<>(parser.parseFrom(bytes), bytes.length, null);
                } catch (InvalidProtocolBufferException e) {
                    return new Parsed<>(null, bytes.length, "not a valid " + defaultInstance.getClass().getSimpleName()
                            + " message: " + e.getMessage());
                }
            }
        };
    }
}
