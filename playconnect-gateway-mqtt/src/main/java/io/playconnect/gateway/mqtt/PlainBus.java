package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.Subscription;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plain MQTT topics over the broker: live pub/sub between every gateway of the cluster, nothing
 * stored. Topic levels become subject tokens under a prefix ({@code sensors/a b} is
 * {@code pc.mqtt.sensors.a~20b}): letters, digits, {@code _} and {@code -} stay, every other UTF-8
 * byte is {@code ~HH}, and an empty level is {@code ~}. A message carries a small header before
 * the payload: format version, the publisher's QoS and connection id (for MQTT 5's No Local), and
 * the MQTT 5 properties a server must forward unaltered.
 */
final class PlainBus {
    /** 2: the QoS byte carries the RETAIN flag (bit 2) and the properties end with the expiry deadline. */
    private static final byte FORMAT = 2;
    private static final int RETAIN_BIT = 4;
    private static final char ESCAPE = '~';
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Broker broker;
    private final String prefix;

    PlainBus(Broker broker, String prefix) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.prefix = prefix;
    }

    /** One plain message as a subscriber sees it. */
    record Delivery(String topic, int qos, boolean retain, String origin, MqttProperties forward, byte[] payload) {
    }

    interface Handler {
        void onDelivery(Delivery delivery);
    }

    void publish(String topic, int qos, String origin, MqttProperties forward, byte[] payload) {
        publish(topic, qos, false, origin, forward, payload);
    }

    /** {@code retain}: the publisher's RETAIN flag, for subscribers with Retain As Published. */
    void publish(String topic, int qos, boolean retain, String origin, MqttProperties forward, byte[] payload) {
        broker.publish(subject(topic), frame(qos | (retain ? RETAIN_BIT : 0), origin, forward, payload));
    }

    /** Subscribes to a filter; the handler runs on a broker thread. */
    List<Subscription> subscribe(TopicFilter filter, Handler handler) {
        return subscribe(filter, null, handler);
    }

    /**
     * Subscribes to a filter as a member of a broker queue group (null: none), so that each message
     * goes to one member of the group; the handler runs on a broker thread.
     */
    List<Subscription> subscribe(TopicFilter filter, String queueGroup, Handler handler) {
        List<Subscription> subs = new ArrayList<>(2);
        for (String pattern : patterns(filter)) {
            subs.add(broker.subscribe(pattern, queueGroup, m -> {
                Delivery d = parse(m.subject(), m.data());
                if (d != null && filter.matches(d.topic())) {
                    handler.onDelivery(d);
                }
            }));
        }
        return subs;
    }

    String subject(String topic) {
        StringBuilder sb = new StringBuilder(prefix.length() + topic.length() + 8).append(prefix);
        for (String level : TopicFilter.split(topic)) {
            sb.append('.');
            escape(level, sb);
        }
        return sb.toString();
    }

    /** The subject patterns covering a filter: {@code a/#} needs {@code a} and {@code a.>}. */
    List<String> patterns(TopicFilter filter) {
        List<String> out = new ArrayList<>(2);
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < filter.levelCount(); i++) {
            String level = filter.level(i);
            if (level.equals(TopicFilter.REST)) {
                if (i > 0) {
                    out.add(sb.toString());
                }
                out.add(sb + ".>");
                return out;
            }
            sb.append('.');
            if (level.equals(TopicFilter.ONE)) {
                sb.append('*');
            } else {
                escape(level, sb);
            }
        }
        out.add(sb.toString());
        return out;
    }

    private static void escape(String level, StringBuilder sb) {
        if (level.isEmpty()) {
            sb.append(ESCAPE);
            return;
        }
        for (byte b : level.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append(ESCAPE).append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /** The topic of a subject under the prefix, or null when it is not one of ours. */
    String topic(String subject) {
        if (!subject.startsWith(prefix + '.')) {
            return null;
        }
        String[] tokens = subject.substring(prefix.length() + 1).split("\\.", -1);
        StringBuilder sb = new StringBuilder(subject.length());
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (!unescape(tokens[i], sb)) {
                return null;
            }
        }
        return sb.toString();
    }

    private static boolean unescape(String token, StringBuilder sb) {
        if (token.equals(String.valueOf(ESCAPE))) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c != ESCAPE) {
                bytes.write(c);
            } else if (i + 2 < token.length() && hex(token.charAt(i + 1)) >= 0 && hex(token.charAt(i + 2)) >= 0) {
                bytes.write(hex(token.charAt(i + 1)) << 4 | hex(token.charAt(i + 2)));
                i += 2;
            } else {
                return false;
            }
        }
        sb.append(bytes.toString(StandardCharsets.UTF_8));
        return true;
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    static byte[] frame(int qos, String origin, MqttProperties forward, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(qos);
            out.writeUTF(origin);
            writeProperties(forward, out);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The MQTT 5 properties a server must pass on unaltered: format, content type, response topic, correlation, user. */
    static void writeProperties(MqttProperties p, DataOutputStream out) throws IOException {
        MqttProperties.MqttProperty<?> format = p.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR);
        out.writeByte(format == null ? -1 : (Integer) format.value());
        writeOptional(p.getProperty(MqttProperties.CONTENT_TYPE), out);
        writeOptional(p.getProperty(MqttProperties.RESPONSE_TOPIC), out);
        MqttProperties.MqttProperty<?> correlation = p.getProperty(MqttProperties.CORRELATION_DATA);
        byte[] data = correlation == null ? null : (byte[]) correlation.value();
        out.writeInt(data == null ? -1 : data.length);
        if (data != null) {
            out.write(data);
        }
        List<MqttProperties.StringPair> pairs = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> user : p.getProperties(MqttProperties.USER_PROPERTY)) {
            if (user instanceof MqttProperties.UserProperty u) {
                pairs.add(u.value());
            } else if (user instanceof MqttProperties.UserProperties us) {
                pairs.addAll(us.value());
            }
        }
        out.writeShort(pairs.size());
        for (MqttProperties.StringPair pair : pairs) {
            out.writeUTF(pair.key);
            out.writeUTF(pair.value);
        }
        // The Message Expiry Interval travels as a wall-clock deadline: it keeps running while the
        // message crosses gateways or waits as a retained message.
        long expiry = PublishProperties.expirySeconds(p);
        out.writeLong(expiry < 0 ? -1 : System.currentTimeMillis() + expiry * 1000);
    }

    private static void writeOptional(MqttProperties.MqttProperty<?> property, DataOutputStream out) throws IOException {
        out.writeBoolean(property != null);
        if (property != null) {
            out.writeUTF((String) property.value());
        }
    }

    Delivery parse(String subject, byte[] data) {
        String topic = topic(subject);
        if (topic == null || data.length < 2 || data[0] != FORMAT) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 2, data.length - 2))) {
            String origin = in.readUTF();
            MqttProperties forward = readProperties(in);
            return new Delivery(topic, data[1] & 3, (data[1] & RETAIN_BIT) != 0, origin, forward, in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static MqttProperties readProperties(DataInputStream in) throws IOException {
        MqttProperties p = new MqttProperties();
        int format = in.readByte();
        if (format >= 0) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, format));
        }
        if (in.readBoolean()) {
            p.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, in.readUTF()));
        }
        if (in.readBoolean()) {
            p.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, in.readUTF()));
        }
        int length = in.readInt();
        if (length >= 0) {
            p.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, in.readNBytes(length)));
        }
        int pairs = in.readUnsignedShort();
        for (int i = 0; i < pairs; i++) {
            p.add(new MqttProperties.UserProperty(in.readUTF(), in.readUTF()));
        }
        long deadline = in.readLong();
        if (deadline >= 0) {
            // What is left, rounded up; 0 marks a message already expired (the publisher drops it).
            long left = Math.max(0, (deadline - System.currentTimeMillis() + 999) / 1000);
            p.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) Math.min(left, 0xFFFF_FFFFL)));
        }
        return p;
    }
}
