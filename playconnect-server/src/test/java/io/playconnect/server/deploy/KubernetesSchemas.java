package io.playconnect.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON schemas of the Kubernetes objects, offline: the {@code schema/kube-schema.json} files that
 * fabric8's kubernetes-model jars (6.13.x, Kubernetes 1.30 API; test dependencies from Maven
 * Central) carry, one per API group module, merged and made strict the way kubeconform's
 * {@code -strict} is: an object may hold only the fields its type declares, so a misspelled field
 * is an error. Two corrections make them describe the wire format: {@code IntOrString} and
 * {@code Quantity} are a string or a number in YAML (the Go-derived schemas model them as
 * objects), and {@code apiVersion} and {@code kind} must be the type's own.
 */
public final class KubernetesSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> JAVA_KEYWORDS = Set.of("javaType", "existingJavaType", "javaInterfaces",
            "javaOmitEmpty", "$module", "id");

    private final ObjectNode definitions;
    private final Map<String, String> definitionByType;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private KubernetesSchemas(ObjectNode definitions, Map<String, String> definitionByType) {
        this.definitions = definitions;
        this.definitionByType = definitionByType;
    }

    /** Loads every {@code schema/kube-schema.json} on the class path. */
    public static KubernetesSchemas load() {
        ObjectNode definitions = NODES.objectNode();
        try {
            List<URL> files = Collections.list(KubernetesSchemas.class.getClassLoader().getResources("schema/kube-schema.json"));
            if (files.isEmpty()) {
                throw new IllegalStateException("no schema/kube-schema.json on the class path (fabric8 kubernetes-model jars)");
            }
            for (URL file : files) {
                try (InputStream in = file.openStream()) {
                    definitions.setAll((ObjectNode) DeployFiles.JSON.readTree(in).path("definitions"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> byType = new ConcurrentHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> def = it.next();
            if (def.getKey().endsWith("_IntOrString")) {
                def.setValue(typeOf("string", "integer"));
            } else if (def.getKey().endsWith("_Quantity")) {
                def.setValue(typeOf("string", "number"));
            } else {
                strict(def.getValue());
                JsonNode props = def.getValue().path("properties");
                String apiVersion = props.path("apiVersion").path("enum").path(0).asText(null);
                String kind = props.path("kind").path("enum").path(0).asText(null);
                if (apiVersion != null && kind != null) {
                    byType.putIfAbsent(apiVersion + " " + kind, def.getKey());
                }
            }
        }
        return new KubernetesSchemas(definitions, byType);
    }

    private static ObjectNode typeOf(String... types) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray("type");
        for (String t : types) {
            array.add(t);
        }
        return node;
    }

    /** No undeclared fields; draft-3 style {@code "required": true} becomes a draft-7 list; the type's own apiVersion and kind. */
    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_KEYWORDS);
            JsonNode props = object.get("properties");
            if (props instanceof ObjectNode properties) {
                if (!object.path("additionalProperties").isObject()) {
                    object.put("additionalProperties", false);
                }
                ArrayNode required = NODES.arrayNode();
                properties.fields().forEachRemaining(p -> {
                    if (p.getValue() instanceof ObjectNode prop) {
                        if (prop.path("required").isBoolean()) {
                            if (prop.get("required").asBoolean()) {
                                required.add(p.getKey());
                            }
                            prop.remove("required");
                        }
                        if ((p.getKey().equals("apiVersion") || p.getKey().equals("kind")) && prop.has("default")) {
                            prop.putArray("enum").add(prop.get("default"));
                        }
                    }
                });
                if (!required.isEmpty()) {
                    object.set("required", required);
                }
            }
            object.fields().forEachRemaining(f -> strict(f.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(KubernetesSchemas::strict);
        }
    }

    /** The problems of one object (a YAML document), or a single problem when its type has no schema. */
    public List<String> validate(JsonNode object) {
        String type = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        String definition = definitionByType.get(type);
        if (definition == null) {
            return List.of("no schema for apiVersion/kind '" + type + "'");
        }
        Schema schema = compiled.computeIfAbsent(definition, this::compile);
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(object)) {
            problems.add(error.toString());
        }
        return problems;
    }

    private Schema compile(String definition) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.putArray("allOf").addObject().put("$ref", "#/definitions/" + definition);
        root.set("definitions", definitions);
        return registry.getSchema(root);
    }
}
