package io.playconnect.gateway.mqtt;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MQTT 5 topic aliases of one connection, both ways. Inbound, the client may map up to
 * {@link #inboundMaximum()} aliases (what the CONNACK advertised) to topics and then send an empty
 * topic with the alias. Outbound, the server maps the topics it publishes on to at most the
 * client's Topic Alias Maximum (capped by the gateway's), reusing the least recently used alias
 * when all are taken; the first PUBLISH of a mapping carries the topic and the alias, later ones
 * only the alias. Mappings never outlive the connection. Confined to the connection's event loop.
 */
final class TopicAliases {
    /** Why an inbound alias was refused, as the MQTT 5 DISCONNECT reason and its text. */
    record Violation(int reason, String text) {
    }

    /** What goes on the wire for an outbound topic: the topic (maybe empty) and the alias (0: none). */
    record Outbound(String topic, int alias) {
    }

    private final String[] inbound;
    private final int outboundMaximum;
    /** Topic to alias, in access order: the eldest is the one to reuse. */
    private final LinkedHashMap<String, Integer> outbound;

    /**
     * @param inboundMaximum  the Topic Alias Maximum the server advertised (0: none accepted)
     * @param outboundMaximum how many aliases the server may use towards the client (0: none)
     */
    TopicAliases(int inboundMaximum, int outboundMaximum) {
        this.inbound = new String[inboundMaximum + 1];
        this.outboundMaximum = outboundMaximum;
        this.outbound = outboundMaximum == 0 ? null : new LinkedHashMap<>(16, 0.75f, true);
    }

    int inboundMaximum() {
        return inbound.length - 1;
    }

    int outboundMaximum() {
        return outboundMaximum;
    }

    /**
     * The topic of an inbound PUBLISH. {@code alias} is the Topic Alias property or null. Returns
     * the topic to use, or a {@link Violation} when the client broke the alias rules.
     */
    Object resolve(String topic, Integer alias) {
        if (alias == null) {
            if (topic.isEmpty()) {
                return new Violation(ReasonCodes.PROTOCOL_ERROR, "a PUBLISH needs a topic name or a topic alias");
            }
            return topic;
        }
        if (alias < 1 || alias > inboundMaximum()) {
            return new Violation(ReasonCodes.TOPIC_ALIAS_INVALID,
                    "topic alias " + alias + " is outside 1.." + inboundMaximum());
        }
        if (!topic.isEmpty()) {
            inbound[alias] = topic;
            return topic;
        }
        String mapped = inbound[alias];
        if (mapped == null) {
            return new Violation(ReasonCodes.PROTOCOL_ERROR, "topic alias " + alias + " was never mapped to a topic");
        }
        return mapped;
    }

    /** How an outbound PUBLISH on {@code topic} names it; changes the mapping as it goes. */
    Outbound outbound(String topic) {
        if (outbound == null) {
            return new Outbound(topic, 0);
        }
        Integer known = outbound.get(topic);
        if (known != null) {
            return new Outbound("", known);
        }
        int alias;
        if (outbound.size() < outboundMaximum) {
            alias = outbound.size() + 1;
        } else {
            Iterator<Map.Entry<String, Integer>> eldest = outbound.entrySet().iterator();
            alias = eldest.next().getValue();
            eldest.remove();
        }
        outbound.put(topic, alias);
        return new Outbound(topic, alias);
    }

    /** Forgets the outbound mappings (a packet carrying one could not be sent). */
    void resetOutbound() {
        if (outbound != null) {
            outbound.clear();
        }
    }

    @Override
    public String toString() {
        return "TopicAliases{inbound=" + Arrays.stream(inbound).filter(t -> t != null).count()
                + "/" + inboundMaximum() + ", outbound=" + (outbound == null ? 0 : outbound.size())
                + "/" + outboundMaximum + '}';
    }
}
