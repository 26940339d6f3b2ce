package io.playconnect.broker.memory;

import io.playconnect.core.spi.Message;

/**
 * A message as handlers see it. The data array is shared with the publisher and every other
 * subscriber, never copied: nobody may change it after publishing.
 */
final class InMemoryMessage implements Message {
    private final String subject;
    private final byte[] data;
    private final PendingRequest request;
    private final InMemoryBroker broker;

    InMemoryMessage(String subject, byte[] data, PendingRequest request, InMemoryBroker broker) {
        this.subject = subject;
        this.data = data;
        this.request = request;
        this.broker = broker;
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    public byte[] data() {
        return data;
    }

    @Override
    public String replyTo() {
        return request == null ? null : request.replyTo();
    }

    /** Completes the request on the calling (responder's) thread; the first answer wins. */
    @Override
    public void respond(byte[] reply) {
        if (request != null) {
            broker.reply(request, reply);
        }
    }

    @Override
    public String toString() {
        return "Message[" + subject + ", " + data.length + " bytes" + (request == null ? "]" : ", request]");
    }

    /** The reply a requester gets: its subject is the request's inbox, named only when asked. */
    static final class Reply implements Message {
        private final PendingRequest request;
        private final byte[] data;

        Reply(PendingRequest request, byte[] data) {
            this.request = request;
            this.data = data;
        }

        @Override
        public String subject() {
            return request.inboxName();
        }

        @Override
        public byte[] data() {
            return data;
        }

        @Override
        public String replyTo() {
            return null;
        }

        @Override
        public void respond(byte[] data) {
            // A reply is not a request: nothing to answer.
        }
    }
}
