package io.playconnect.gateway.websocket;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh chat room ids, so tests sharing a server never meet in a room. */
final class Rooms {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Rooms() {
    }

    static String chat() {
        return "chat.t" + NEXT.incrementAndGet();
    }

    static String join(String room) {
        return "{\"op\":\"join\",\"room\":\"" + room + "\"}";
    }

    static String publish(String room, String text, String correlationId) {
        return "{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"chat.message\",\"payload\":{\"text\":\""
                + text + "\"},\"correlationId\":\"" + correlationId + "\"}";
    }

    /** Joins and consumes the {@code joined} and {@code snapshot} messages; returns the joined one. */
    static Msg joinFresh(WsClient client, String room) {
        client.send(join(room));
        Msg joined = client.nextOp("joined", room);
        client.nextOp("snapshot", room);
        return joined;
    }

    /** Publishes one chat message and returns its ack. */
    static Msg say(WsClient client, String room, String text, String correlationId) {
        client.send(publish(room, text, correlationId));
        return client.next(m -> m.op().equals("ack") && correlationId.equals(m.text("correlationId")));
    }
}
