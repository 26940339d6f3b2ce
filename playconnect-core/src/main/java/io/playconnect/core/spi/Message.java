package io.playconnect.core.spi;

/** A message received from the {@link Broker}. */
public interface Message {
    String subject();

    byte[] data();

    /** The reply subject of a request, or null. */
    String replyTo();

    /** Answers a request; a no-op when the message is not a request. */
    void respond(byte[] data);
}
