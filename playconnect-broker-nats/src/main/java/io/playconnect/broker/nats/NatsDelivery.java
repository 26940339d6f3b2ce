package io.playconnect.broker.nats;

import io.playconnect.core.spi.Message;

/**
 * A message as handlers see it: subjects without the tenant prefix. A reply subject from this
 * tenant's inbox strips to {@code _INBOX...} and gets its prefix back when published to, so
 * answering by {@link io.playconnect.core.spi.Broker#publish} works as well as {@link #respond}.
 */
final class NatsDelivery implements Message {
    private final JetStreamBroker broker;
    private final io.nats.client.Message message;

    NatsDelivery(JetStreamBroker broker, io.nats.client.Message message) {
        this.broker = broker;
        this.message = message;
    }

    /** Stripped when asked: most handlers (a command's, a reply's) never ask, so most messages copy nothing. */
    @Override
    public String subject() {
        return broker.names().strip(message.getSubject());
    }

    @Override
    public byte[] data() {
        byte[] d = message.getData();
        return d == null ? new byte[0] : d;
    }

    @Override
    public String replyTo() {
        return broker.names().strip(message.getReplyTo());
    }

    @Override
    public void respond(byte[] data) {
        String to = message.getReplyTo();
        if (to != null) {
            broker.publishRaw(to, data);
        }
    }

    @Override
    public String toString() {
        return "NatsDelivery[" + subject() + ", " + data().length + " bytes]";
    }
}
