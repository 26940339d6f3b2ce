package io.playconnect.gateway.mqtt;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * MQTT 5 rules that work on single packets, between the codec and the {@link MqttConnection}, so
 * the connection and its helpers see plain packets. Inbound: a PUBLISH's topic alias is resolved
 * to its topic (an alias of 0 or above the advertised maximum closes with 0x94, an unknown one or
 * a PUBLISH without topic and alias with 0x82), and a PUBLISH carrying a Subscription Identifier or
 * a Response Topic with wildcards is a protocol error. Outbound: PUBLISH topics are replaced by
 * aliases up to the client's Topic Alias Maximum, and an acknowledgement that would exceed the
 * client's Maximum Packet Size loses its Reason String and User Properties. Both directions learn
 * the client's limits from its CONNECT as it passes. On both versions, a SUBSCRIBE or UNSUBSCRIBE
 * without a topic filter is a protocol error (Netty's decoder lets it through). One instance per
 * connection, on its event loop.
 */
final class V5Codec extends ChannelDuplexHandler {
    private final MqttConnection connection;
    private final int serverAliasMaximum;
    private TopicAliases aliases;
    private int clientMaxPacket = Integer.MAX_VALUE;

    V5Codec(MqttConnection connection, int serverAliasMaximum) {
        this.connection = connection;
        this.serverAliasMaximum = serverAliasMaximum;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttConnectMessage connect && aliases == null && connect.decoderResult().isSuccess()) {
            learn(connect);
        } else if (msg instanceof MqttPublishMessage publish && aliases != null && publish.decoderResult().isSuccess()) {
            msg = inbound(publish);
            if (msg == null) {
                return;
            }
        } else if (withoutFilters(msg)) {
            ReferenceCountUtil.release(msg);
            connection.closeWith(ReasonCodes.PROTOCOL_ERROR, "a SUBSCRIBE or UNSUBSCRIBE needs at least one topic filter");
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** A SUBSCRIBE or UNSUBSCRIBE without a topic filter: a protocol error on both versions. */
    private static boolean withoutFilters(Object msg) {
        if (msg instanceof MqttSubscribeMessage s && s.decoderResult().isSuccess()) {
            return s.payload().topicSubscriptions().isEmpty();
        }
        return msg instanceof MqttUnsubscribeMessage u && u.decoderResult().isSuccess() && u.payload().topics().isEmpty();
    }

    private void learn(MqttConnectMessage connect) {
        var h = connect.variableHeader();
        if (MqttVersion.fromProtocolNameAndLevel(h.name(), (byte) h.version()) != MqttVersion.MQTT_5) {
            return;
        }
        Integer clientAliases = Handshake.intProperty(h.properties(), MqttProperties.TOPIC_ALIAS_MAXIMUM);
        int outbound = clientAliases == null ? 0 : Math.min(clientAliases, serverAliasMaximum);
        aliases = new TopicAliases(serverAliasMaximum, outbound);
        Integer max = Handshake.intProperty(h.properties(), MqttProperties.MAXIMUM_PACKET_SIZE);
        if (max != null && max > 0) {
            clientMaxPacket = max;
        }
    }

    /** The PUBLISH with its topic resolved, or null when the connection was closed for it. */
    private MqttPublishMessage inbound(MqttPublishMessage publish) {
        MqttPublishVariableHeader h = publish.variableHeader();
        MqttProperties props = h.properties();
        String problem = problem(props);
        Integer alias = Handshake.intProperty(props, MqttProperties.TOPIC_ALIAS);
        Object resolved = problem != null ? new TopicAliases.Violation(ReasonCodes.PROTOCOL_ERROR, problem)
                : aliases.resolve(h.topicName(), alias);
        if (resolved instanceof TopicAliases.Violation v) {
            ReferenceCountUtil.release(publish);
            connection.closeWith(v.reason(), v.text());
            return null;
        }
        if (alias == null) {
            return publish;
        }
        MqttProperties rest = without(props, MqttProperties.TOPIC_ALIAS, -1);
        // The new packet takes over the payload (and its reference) of the old one.
        return new MqttPublishMessage(publish.fixedHeader(),
                new MqttPublishVariableHeader((String) resolved, h.packetId(), rest), publish.payload());
    }

    /** MQTT 5 rules for a client's PUBLISH properties; null when they hold. */
    private static String problem(MqttProperties props) {
        if (props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
            return "a PUBLISH from a client must not carry a subscription identifier";
        }
        String responseTopic = Handshake.stringProperty(props, MqttProperties.RESPONSE_TOPIC);
        if (responseTopic != null && (responseTopic.isEmpty() || responseTopic.indexOf('+') >= 0
                || responseTopic.indexOf('#') >= 0)) {
            return "a response topic must be a topic name without wildcards";
        }
        return null;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (aliases != null && msg instanceof MqttMessage m) {
            msg = m instanceof MqttPublishMessage p ? outbound(p) : fit(m);
        }
        ctx.write(msg, promise);
    }

    private MqttPublishMessage outbound(MqttPublishMessage p) {
        if (aliases.outboundMaximum() == 0) {
            return p;
        }
        MqttPublishVariableHeader h = p.variableHeader();
        TopicAliases.Outbound named = aliases.outbound(h.topicName());
        MqttProperties props = without(h.properties(), -1, -1);
        props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, named.alias()));
        return new MqttPublishMessage(p.fixedHeader(), new MqttPublishVariableHeader(named.topic(), h.packetId(), props),
                p.payload());
    }

    /** An acknowledgement without its optional properties when they would make it too large. */
    private MqttMessage fit(MqttMessage m) {
        if (clientMaxPacket == Integer.MAX_VALUE) {
            return m;
        }
        Object vh = m.variableHeader();
        MqttMessageType type = m.fixedHeader().messageType();
        if (vh instanceof MqttPubReplyMessageVariableHeader r && tooLarge(3, r.properties())) {
            return new MqttMessage(m.fixedHeader(), new MqttPubReplyMessageVariableHeader(r.messageId(),
                    r.reasonCode(), optionalDropped(r.properties())));
        }
        if (m instanceof MqttSubAckMessage s
                && tooLarge(2 + s.payload().reasonCodes().size(), s.idAndPropertiesVariableHeader().properties())) {
            return new MqttSubAckMessage(m.fixedHeader(), new MqttMessageIdAndPropertiesVariableHeader(
                    s.idAndPropertiesVariableHeader().messageId(),
                    optionalDropped(s.idAndPropertiesVariableHeader().properties())), s.payload());
        }
        if (m instanceof MqttUnsubAckMessage u && u.payload() != null
                && tooLarge(2 + u.payload().unsubscribeReasonCodes().size(), u.idAndPropertiesVariableHeader().properties())) {
            return new MqttUnsubAckMessage(m.fixedHeader(), new MqttMessageIdAndPropertiesVariableHeader(
                    u.idAndPropertiesVariableHeader().messageId(),
                    optionalDropped(u.idAndPropertiesVariableHeader().properties())), u.payload());
        }
        if ((type == MqttMessageType.DISCONNECT || type == MqttMessageType.AUTH)
                && vh instanceof MqttReasonCodeAndPropertiesVariableHeader d && tooLarge(1, d.properties())) {
            return new MqttMessage(m.fixedHeader(),
                    new MqttReasonCodeAndPropertiesVariableHeader(d.reasonCode(), optionalDropped(d.properties())));
        }
        if (m instanceof MqttConnAckMessage a && tooLarge(2, a.variableHeader().properties())) {
            MqttConnAckVariableHeader h = a.variableHeader();
            return new MqttConnAckMessage(m.fixedHeader(), new MqttConnAckVariableHeader(h.connectReturnCode(),
                    h.isSessionPresent(), optionalDropped(h.properties())));
        }
        return m;
    }

    private boolean tooLarge(int fixedPart, MqttProperties properties) {
        return Packets.wireSize(fixedPart + PacketSize.propertySection(properties)) > clientMaxPacket;
    }

    private static MqttProperties optionalDropped(MqttProperties p) {
        return without(p, MqttProperties.REASON_STRING, MqttProperties.USER_PROPERTY);
    }

    /** A copy of {@code p} without the properties of the two ids (-1: none). */
    private static MqttProperties without(MqttProperties p, int id1, int id2) {
        MqttProperties out = new MqttProperties();
        for (MqttProperties.MqttProperty<?> property : p.listAll()) {
            int id = property.propertyId();
            if (id != id1 && id != id2 && id != MqttProperties.TOPIC_ALIAS) {
                out.add(property);
            }
        }
        return out;
    }

    /** The client's Maximum Packet Size (MQTT 5), or {@link Integer#MAX_VALUE}. */
    int clientMaxPacket() {
        return clientMaxPacket;
    }
}
