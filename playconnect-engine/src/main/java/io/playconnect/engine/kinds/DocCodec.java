package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.playconnect.core.SyncException;
import io.playconnect.core.codec.RawJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code doc} state as JSON: {@code {"doc":<document>,"hlc":{"t","c"},"registers":[...]}}.
 * Only the registers and the clock are read back; the document is recomputed from them, so
 * decoding and re-encoding gives the same bytes.
 */
final class DocCodec {
    /** Big decimals, so that a number too large for a double is not turned into "Infinity". */
    private static final ObjectMapper TREES = JsonMapper.builder(KindJson.FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private DocCodec() {
    }

    static byte[] encode(DocState s) {
        markSets(s.root);
        return KindJson.write(g -> {
            g.writeStartObject();
            g.writeFieldName("doc");
            if (!present(s.root, null)) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                writeNode(g, s.root, null);
            }
            g.writeObjectFieldStart("hlc");
            g.writeNumberField("t", s.hlcT);
            g.writeNumberField("c", s.hlcC);
            g.writeEndObject();
            g.writeArrayFieldStart("registers");
            writeRegisters(g, s.root, new ArrayList<>());
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Sets {@link DocState.Node#setBelow}; returns whether the subtree holds a set, self included. */
    private static boolean markSets(DocState.Node node) {
        boolean below = false;
        if (node.children != null) {
            for (DocState.Node child : node.children.values()) {
                below |= markSets(child);
            }
        }
        node.setBelow = below;
        return below || (node.register != null && !node.register.isDelete());
    }

    /** Whether a node has a value, given what its parent's value holds at its key (null: nothing). */
    private static boolean present(DocState.Node node, JsonNode inherited) {
        if (node.setBelow) {
            return true;
        }
        return node.register != null ? !node.register.isDelete() : inherited != null;
    }

    /** Writes a node's value: its own register or the inherited value, overlaid by what is below. */
    private static void writeNode(JsonGenerator g, DocState.Node node, JsonNode inherited) throws IOException {
        byte[] raw = null;
        JsonNode tree = inherited;
        if (node.register != null) {
            raw = node.register.value;
            tree = null;
        }
        if (node.children == null || node.children.isEmpty()) {
            writeBase(g, raw, tree);
            return;
        }
        if (raw != null && startsObject(raw)) {
            tree = TREES.readTree(raw);
        }
        if (tree != null && tree.isObject()) {
            writeOverlay(g, tree, node);
        } else if (node.setBelow) {
            writeOverlay(g, null, node);
        } else {
            writeBase(g, raw, tree);
        }
    }

    private static void writeBase(JsonGenerator g, byte[] raw, JsonNode tree) throws IOException {
        if (raw != null) {
            g.writeRawValue(new String(raw, StandardCharsets.UTF_8));
        } else {
            TREES.writeTree(g, tree);
        }
    }

    /** An object: the base's fields in their order, each overlaid, then new keys in sorted order. */
    private static void writeOverlay(JsonGenerator g, JsonNode base, DocState.Node node) throws IOException {
        Map<String, DocState.Node> children = node.children;
        g.writeStartObject();
        if (base != null) {
            for (Map.Entry<String, JsonNode> field : base.properties()) {
                DocState.Node child = children.get(field.getKey());
                if (child == null) {
                    g.writeFieldName(field.getKey());
                    TREES.writeTree(g, field.getValue());
                } else if (present(child, field.getValue())) {
                    g.writeFieldName(field.getKey());
                    writeNode(g, child, field.getValue());
                }
            }
        }
        for (String key : sortedKeys(children)) {
            DocState.Node child = children.get(key);
            if ((base == null || !base.has(key)) && present(child, null)) {
                g.writeFieldName(key);
                writeNode(g, child, null);
            }
        }
        g.writeEndObject();
    }

    private static List<String> sortedKeys(Map<String, DocState.Node> children) {
        List<String> keys = new ArrayList<>(children.keySet());
        keys.sort(null);
        return keys;
    }

    private static boolean startsObject(byte[] raw) {
        for (byte b : raw) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /** Every register, parents before children and siblings sorted: a canonical order. */
    private static void writeRegisters(JsonGenerator g, DocState.Node node, List<String> path) throws IOException {
        DocWrite w = node.register;
        if (w != null) {
            g.writeStartObject();
            g.writeStringField("path", DocPath.format(path.toArray(DocPath.ROOT)));
            g.writeNumberField("t", w.t);
            g.writeNumberField("c", w.c);
            g.writeStringField("client", w.client);
            if (w.isDelete()) {
                g.writeBooleanField("deleted", true);
            } else {
                g.writeFieldName("value");
                g.writeRawValue(new String(w.value, StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        }
        if (node.children != null) {
            for (String key : sortedKeys(node.children)) {
                path.add(key);
                writeRegisters(g, node.children.get(key), path);
                path.remove(path.size() - 1);
            }
        }
    }

    static DocState decode(byte[] json) {
        DocState s = new DocState();
        try (JsonParser p = KindJson.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw KindJson.corrupt("doc", "not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                if ("hlc".equals(name) && token == JsonToken.START_OBJECT) {
                    readHlc(p, s);
                } else if ("registers".equals(name) && token == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        s.write(readRegister(p, json));
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | SyncException e) {
            throw KindJson.corrupt("doc", "cannot read registers");
        }
        return s;
    }

    private static void readHlc(JsonParser p, DocState s) throws IOException {
        long t = 0;
        long c = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if ("t".equals(name)) {
                t = p.getLongValue();
            } else if ("c".equals(name)) {
                c = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        s.observe(t, c);
    }

    private static DocWrite readRegister(JsonParser p, byte[] json) throws IOException {
        String path = null;
        String client = null;
        long t = 0;
        long c = 0;
        byte[] value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "path" -> path = p.getText();
                case "client" -> client = p.getText();
                case "t" -> t = p.getLongValue();
                case "c" -> c = p.getLongValue();
                case "value" -> value = RawJson.slice(p, json, 0);
                default -> p.skipChildren();
            }
        }
        if (path == null || client == null) {
            throw KindJson.corrupt("doc", "a register without path or client");
        }
        return new DocWrite(DocPath.parse(path), t, c, client, value);
    }
}
