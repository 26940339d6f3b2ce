package io.playconnect.gateway.mqtt;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.playconnect.edge.Edge;
import io.playconnect.edge.ProtocolMeters;


/** What every connection of one gateway shares. */
final class GatewayRuntime {
    /** Longest client id accepted; longer ones are refused as identifier rejected. */
    static final int MAX_CLIENT_ID_LENGTH = 256;

    final Edge edge;
    final MqttConfig config;
    final Topics topics;
    /** Plain topics' transport, or null when the server offered no broker. */
    final PlainBus plainBus;
    final ChannelGroup connections;
    /** Who holds which session here, takeover, and the session store. */
    final Sessions sessions;
    /** Retained messages of plain topics, or null without a broker. */
    final RetainedMessages retained;
    /** Plain-topic wills waiting for their MQTT 5 will delay (or for the client to come back). */
    final java.util.concurrent.atomic.AtomicInteger delayedWills = new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean accepting = true;

    GatewayRuntime(Edge edge, MqttConfig config, PlainBus plainBus, ChannelGroup connections, Sessions sessions,
                   RetainedMessages retained) {
        this.edge = edge;
        this.sessions = sessions;
        this.retained = retained;
        this.config = config;
        this.topics = new Topics(config.roomKinds());
        this.plainBus = plainBus;
        this.connections = connections;
    }

    ProtocolMeters meters() {
        return edge.meters(MqttGateway.PROTOCOL);
    }

    /**
     * Adds the MQTT handlers at the end of a pipeline whose earlier handlers deliver the raw byte
     * stream (TCP, TLS, or the payload of WebSocket binary frames).
     */
    void install(ChannelPipeline pipeline) {
        MqttConnection connection = new MqttConnection(this);
        pipeline.addLast("mqtt-meter", new FrameMeter(connection))
                .addLast("mqtt-decoder", new MqttDecoder(config.maxPacketBytes(), MAX_CLIENT_ID_LENGTH))
                .addLast("mqtt-encoder", MqttEncoder.INSTANCE)
                .addLast("mqtt-v5", new V5Codec(connection, config.topicAliasMaximum()))
                .addLast("mqtt-connection", connection);
    }
}
