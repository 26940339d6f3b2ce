package io.playconnect.gateway.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a persistent MQTT session keeps in the {@link io.playconnect.core.spi.SessionStore}, and its
 * binary form (a format byte, then fields in a fixed order; see {@link #encode}). The user is part
 * of the state so a loaded session is checked against the connecting principal.
 */
final class SessionState {
    private static final byte FORMAT = 1;
    private static final byte PROPS_NONE = 0;
    private static final byte PROPS_JSON = 1;
    private static final byte PROPS_FORWARDED = 2;

    String user;
    String clientId;
    long expirySeconds;
    /** Makes minted correlationIds unique to the session (with {@link #counter}); survives reconnects. */
    String tag;
    long counter;
    final List<StoredSub> subscriptions = new ArrayList<>();
    final Map<RoomId, StreamPosition> positions = new LinkedHashMap<>();
    /** Inbound QoS 1/2 packet id to the correlationId its command was sent with (most recent last). */
    final LinkedHashMap<Integer, String> inboundIds = new LinkedHashMap<>();
    /** Inbound QoS 2 packet ids answered with PUBREC, waiting for PUBREL. */
    final Set<Integer> awaitingRelease = new LinkedHashSet<>();
    final List<OutboundPublisher.Inflight> outbound = new ArrayList<>();

    /**
     * One subscription: the filter, granted QoS, and the MQTT 5 options byte as SUBSCRIBE carried it
     * (no local, retain as published, retain handling) and its subscription identifier (0: none).
     */
    record StoredSub(String filter, int qos, int options, int subscriptionId) {
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(user);
            out.writeUTF(clientId);
            out.writeLong(expirySeconds);
            out.writeUTF(tag);
            out.writeLong(counter);
            out.writeInt(subscriptions.size());
            for (StoredSub s : subscriptions) {
                out.writeUTF(s.filter());
                out.writeByte(s.qos());
                out.writeByte(s.options());
                out.writeInt(s.subscriptionId());
            }
            out.writeInt(positions.size());
            for (Map.Entry<RoomId, StreamPosition> e : positions.entrySet()) {
                out.writeUTF(e.getKey().value());
                out.writeUTF(e.getValue().epoch());
                out.writeLong(e.getValue().seq());
            }
            out.writeInt(inboundIds.size());
            for (Map.Entry<Integer, String> e : inboundIds.entrySet()) {
                out.writeShort(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(awaitingRelease.size());
            for (int id : awaitingRelease) {
                out.writeShort(id);
            }
            out.writeInt(outbound.size());
            for (OutboundPublisher.Inflight f : outbound) {
                writeInflight(f, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeInflight(OutboundPublisher.Inflight f, DataOutputStream out) throws IOException {
        out.writeShort(f.packetId);
        out.writeByte(f.qos);
        out.writeBoolean(f.released);
        out.writeBoolean(f.retain);
        out.writeUTF(f.topic);
        if (f.properties == MqttEvent.JSON_PROPERTIES) {
            out.writeByte(PROPS_JSON);
        } else if (f.properties.isEmpty()) {
            out.writeByte(PROPS_NONE);
        } else {
            out.writeByte(PROPS_FORWARDED);
            PlainBus.writeProperties(f.properties, out);
            writeDeliveryProperties(f.properties, out);
        }
        int length = f.payload == null ? -1 : f.payload.readableBytes();
        out.writeInt(length);
        if (length > 0) {
            f.payload.getBytes(f.payload.readerIndex(), out, length);
        }
    }

    /** Decodes a stored state; throws {@link IllegalArgumentException} when it is not one this code wrote. */
    static SessionState decode(byte[] data) {
        if (data.length == 0 || data[0] != FORMAT) {
            throw new IllegalArgumentException("unknown session state format");
        }
        SessionState s = new SessionState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            s.user = in.readUTF();
            s.clientId = in.readUTF();
            s.expirySeconds = in.readLong();
            s.tag = in.readUTF();
            s.counter = in.readLong();
            for (int i = in.readInt(); i > 0; i--) {
                s.subscriptions.add(new StoredSub(in.readUTF(), in.readByte(), in.readByte(), in.readInt()));
            }
            for (int i = in.readInt(); i > 0; i--) {
                RoomId room = RoomId.parse(in.readUTF());
                s.positions.put(room, new StreamPosition(in.readUTF(), in.readLong()));
            }
            for (int i = in.readInt(); i > 0; i--) {
                s.inboundIds.put(in.readUnsignedShort(), in.readUTF());
            }
            for (int i = in.readInt(); i > 0; i--) {
                s.awaitingRelease.add(in.readUnsignedShort());
            }
            for (int i = in.readInt(); i > 0; i--) {
                s.outbound.add(readInflight(in));
            }
        } catch (IOException | RuntimeException e) {
            s.releaseOutbound();
            throw new IllegalArgumentException("corrupt session state: " + e, e);
        }
        return s;
    }

    private static OutboundPublisher.Inflight readInflight(DataInputStream in) throws IOException {
        int id = in.readUnsignedShort();
        int qos = in.readByte();
        boolean released = in.readBoolean();
        boolean retain = in.readBoolean();
        String topic = in.readUTF();
        byte kind = in.readByte();
        MqttProperties props = kind == PROPS_JSON ? MqttEvent.JSON_PROPERTIES
                : kind == PROPS_FORWARDED ? readDeliveryProperties(PlainBus.readProperties(in), in)
                : MqttProperties.NO_PROPERTIES;
        int length = in.readInt();
        OutboundPublisher.Inflight f = new OutboundPublisher.Inflight(id, qos, topic, retain, props,
                length < 0 ? null : Unpooled.wrappedBuffer(in.readNBytes(length)));
        f.released = released || length < 0;
        if (id == 0 || qos < 1 || qos > 2 || (f.payload != null && f.payload.readableBytes() != length)) {
            throw new IOException("bad in-flight publish");
        }
        return f;
    }

    /**
     * What a delivery adds to the forwarded properties, so a resent PUBLISH carries them again:
     * its subscription identifiers and the message expiry interval it was sent with.
     */
    private static void writeDeliveryProperties(MqttProperties p, DataOutputStream out) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> id : p.getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER)) {
            ids.add((Integer) id.value());
        }
        out.writeShort(ids.size());
        for (int id : ids) {
            out.writeInt(id);
        }
        MqttProperties.MqttProperty<?> expiry = p.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
        out.writeLong(expiry == null ? -1 : Integer.toUnsignedLong((Integer) expiry.value()));
    }

    private static MqttProperties readDeliveryProperties(MqttProperties p, DataInputStream in) throws IOException {
        for (int i = in.readUnsignedShort(); i > 0; i--) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, in.readInt()));
        }
        long expiry = in.readLong();
        if (expiry >= 0) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) expiry));
        }
        return p;
    }

    /** Frees the payloads of {@link #outbound} when they are not handed to a connection. */
    void releaseOutbound() {
        for (OutboundPublisher.Inflight f : outbound) {
            if (f.payload != null) {
                f.payload.release();
                f.payload = null;
            }
        }
    }
}
