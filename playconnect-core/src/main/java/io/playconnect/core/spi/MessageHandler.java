package io.playconnect.core.spi;

/** Receives messages of a subscription. Must not block; see the package documentation. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Message message);
}
