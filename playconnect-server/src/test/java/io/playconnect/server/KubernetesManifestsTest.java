package io.playconnect.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.playconnect.edge.spi.ProtocolGateway;
import io.playconnect.server.deploy.DeployFiles;
import io.playconnect.server.deploy.KubernetesSchemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The manifests in {@code deploy/k8s/} (plain YAML, nothing to render) against the Kubernetes
 * schemas, offline, and against what the server really does: the arguments and environment parse
 * as {@code playconnect run} parses them, the probes hit the health endpoints on the HTTP port,
 * the grace period covers the drain, one gateway Deployment per protocol in the build.
 */
class KubernetesManifestsTest {
    private static KubernetesSchemas schemas;
    private static List<Doc> docs;

    /** One YAML document and the file it came from. */
    private record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return file.getFileName() + ": " + kind() + " " + name();
        }
    }

    @BeforeAll
    static void load() throws IOException {
        schemas = KubernetesSchemas.load();
        docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(DeployFiles.deployDir().resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it = DeployFiles.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (it.hasNext()) {
                        JsonNode node = it.next();
                        if (node != null && !node.isEmpty()) {
                            docs.add(new Doc(file, node));
                        }
                    }
                }
            }
        }
    }

    private static List<Doc> ofKind(String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    @Test
    void everyManifestMatchesItsKubernetesSchema() {
        assertThat(docs).hasSizeGreaterThanOrEqualTo(15);
        for (Doc doc : docs) {
            assertThat(schemas.validate(doc.node())).as(doc.toString()).isEmpty();
        }
    }

    @Test
    void aMisspelledFieldAWrongTypeOrAnUnknownKindFails() {
        ObjectNode deployment = ofKind("Deployment").get(0).node().deepCopy();
        ObjectNode container = (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
        container.set("readynessProbe", container.remove("readinessProbe"));
        assertThat(schemas.validate(deployment)).anyMatch(p -> p.contains("readynessProbe"));

        ObjectNode typed = ofKind("Deployment").get(0).node().deepCopy();
        ((ObjectNode) typed.path("spec")).put("replicas", "three");
        assertThat(schemas.validate(typed)).anyMatch(p -> p.contains("replicas"));

        ObjectNode probe = ofKind("Deployment").get(0).node().deepCopy();
        ((ObjectNode) probe.path("spec").path("template").path("spec").path("containers").get(0).path("readinessProbe"))
                .put("periodSecond", 5);
        assertThat(schemas.validate(probe)).anyMatch(p -> p.contains("periodSecond"));

        ObjectNode hpa = ofKind("HorizontalPodAutoscaler").get(0).node().deepCopy();
        ((ObjectNode) hpa.path("spec").path("metrics").get(0).path("pods").path("target")).put("averageValu", "1");
        assertThat(schemas.validate(hpa)).anyMatch(p -> p.contains("averageValu"));

        ObjectNode budget = ofKind("PodDisruptionBudget").get(0).node().deepCopy();
        ((ObjectNode) budget.path("spec")).put("maxUnavailble", 1);
        assertThat(schemas.validate(budget)).anyMatch(p -> p.contains("maxUnavailble"));

        ObjectNode wrongVersion = ofKind("HorizontalPodAutoscaler").get(0).node().deepCopy();
        wrongVersion.put("apiVersion", "autoscaling/v3");
        assertThat(schemas.validate(wrongVersion)).singleElement().asString().contains("no schema");
    }

    @Test
    void argumentsAndEnvironmentParseAsPlayconnectRunParsesThem() {
        Map<String, String> env = configMapEnvironment();
        Set<String> known = new TreeSet<>();
        for (String option : runOptionNames()) {
            known.add(EnvAndFileDefaults.envName(option.substring(2)));
        }
        for (String key : env.keySet()) {
            if (key.startsWith(EnvAndFileDefaults.ENV_PREFIX)) {
                assertThat(known).as("ConfigMap key %s is an option of run", key).contains(key);
            }
        }
        env.put("PLAYCONNECT_TOKEN_SECRET", "a-test-secret-of-at-least-32-bytes-0123");
        for (Doc d : ofKind("Deployment")) {
            List<String> args = strings(container(d).path("args"));
            assertThat(args.get(0)).as(d.toString()).isEqualTo("run");
            ServerConfig config = Cli.parseRun(env, args.toArray(String[]::new));
            assertThat(config.httpPort().port()).as(d + ": explicit --http-port 8080").isEqualTo(8080);
            assertThat(config.httpPort().explicit()).as(d.toString()).isTrue();
            assertThat(config.host()).isEqualTo("0.0.0.0");
            assertThat(config.partitions()).isEqualTo(64);
        }
    }

    /** The committed Secret is a placeholder that cannot be run with: too short for a token secret. */
    @Test
    void thePlaceholderSecretIsRefused() {
        String placeholder = ofKind("Secret").get(0).node().path("stringData").path("token-secret").asText();
        Map<String, String> env = configMapEnvironment();
        env.put("PLAYCONNECT_TOKEN_SECRET", placeholder);
        List<String> args = strings(container(ofKind("Deployment").get(0)).path("args"));
        assertThatThrownBy(() -> Cli.parseRun(env, args.toArray(String[]::new)))
                .hasMessageContaining("--token-secret");
    }

    @Test
    void oneGatewayDeploymentPerProtocolInTheBuild() {
        Set<String> protocols = new TreeSet<>();
        ServiceLoader.load(ProtocolGateway.class).forEach(g -> protocols.add(g.protocol()));
        Map<String, String> deploymentByProtocol = new HashMap<>();
        for (Doc d : ofKind("Deployment")) {
            List<String> args = strings(container(d).path("args"));
            int i = args.indexOf("--gateways");
            if (args.contains("gateway")) {
                assertThat(i).as(d + " names its one protocol").isPositive();
                assertThat(deploymentByProtocol.put(args.get(i + 1), d.name())).as(d.toString()).isNull();
            }
        }
        assertThat(deploymentByProtocol.keySet()).isEqualTo(protocols);
    }

    @Test
    void probesUseTheHealthEndpointsAndTheGracePeriodCoversTheDrain() {
        long drain = ServerConfig.newBuilder().build().drainTimeout().toSeconds();
        for (Doc d : ofKind("Deployment")) {
            JsonNode pod = d.node().path("spec").path("template").path("spec");
            JsonNode c = container(d);
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).as(d.toString()).isEqualTo("/healthz");
            assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).as(d.toString()).isEqualTo("/healthz");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).as(d.toString()).isEqualTo("/readyz");
            for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
                assertThat(portNumber(c, c.path(probe).path("httpGet").path("port").asText())).as(d + " " + probe).isEqualTo(8080);
            }
            // Service links would inject PLAYCONNECT_* variables that the server reads as options.
            assertThat(pod.path("enableServiceLinks").asBoolean(true)).as(d.toString()).isFalse();
            long preStop = c.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
            assertThat(pod.path("terminationGracePeriodSeconds").asLong()).as(d + ": preStop + drain + margin")
                    .isGreaterThanOrEqualTo(preStop + drain + 5);
            assertThat(d.node().path("spec").path("template").path("metadata").path("labels"))
                    .as(d.toString()).isEqualTo(d.node().path("metadata").path("labels"));
            assertThat(d.node().path("spec").path("template").path("metadata").path("annotations")
                    .path("prometheus.io/port").asText()).isEqualTo("8080");
        }
    }

    @Test
    void servicesAutoscalersAndBudgetsPointAtRealDeploymentsAndPorts() {
        Map<String, Doc> deployments = new HashMap<>();
        ofKind("Deployment").forEach(d -> deployments.put(d.name(), d));
        for (Doc s : ofKind("Service")) {
            Doc d = matching(s.node().path("spec").path("selector"));
            for (JsonNode port : s.node().path("spec").path("ports")) {
                assertThat(portNumber(container(d), port.path("targetPort").asText())).as(s.toString())
                        .isEqualTo(port.path("port").asInt());
            }
        }
        for (Doc pdb : ofKind("PodDisruptionBudget")) {
            matching(pdb.node().path("spec").path("selector").path("matchLabels"));
        }
        Set<String> adapterMetrics = new TreeSet<>();
        for (Doc hpa : ofKind("HorizontalPodAutoscaler")) {
            assertThat(deployments).as(hpa.toString()).containsKey(hpa.node().path("spec").path("scaleTargetRef").path("name").asText());
            hpa.node().path("spec").path("metrics").forEach(m -> {
                if (m.path("type").asText().equals("Pods")) {
                    adapterMetrics.add(m.path("pods").path("metric").path("name").asText());
                }
            });
        }
        assertThat(ofKind("HorizontalPodAutoscaler")).hasSize(3);
        assertThat(adapterMetrics).containsExactly("playconnect_connections");
        assertThat(ofKind("ConfigMap").stream().filter(c -> c.name().equals("adapter-config")).findFirst().orElseThrow()
                .node().path("data").path("config.yaml").asText()).contains("as: \"playconnect_connections\"");
    }

    /** The one Deployment whose pod labels include every label of {@code selector}. */
    private static Doc matching(JsonNode selector) {
        List<Doc> found = new ArrayList<>();
        for (Doc d : ofKind("Deployment")) {
            JsonNode labels = d.node().path("spec").path("template").path("metadata").path("labels");
            boolean all = true;
            for (var it = selector.fields(); it.hasNext(); ) {
                var e = it.next();
                all &= e.getValue().asText().equals(labels.path(e.getKey()).asText());
            }
            if (all) {
                found.add(d);
            }
        }
        assertThat(found).as("Deployments matching %s", selector).hasSize(1);
        return found.get(0);
    }

    private static JsonNode container(Doc d) {
        JsonNode containers = d.node().path("spec").path("template").path("spec").path("containers");
        assertThat(containers).as(d.toString()).hasSize(1);
        return containers.get(0);
    }

    private static int portNumber(JsonNode container, String nameOrNumber) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(nameOrNumber)) {
                return p.path("containerPort").asInt();
            }
        }
        return Integer.parseInt(nameOrNumber);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> configMapEnvironment() {
        Map<String, String> env = new HashMap<>();
        ofKind("ConfigMap").stream().filter(c -> c.name().equals("playconnect-config")).findFirst().orElseThrow()
                .node().path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static List<String> runOptionNames() {
        List<String> names = new ArrayList<>();
        picocli.CommandLine cl = PlayConnectCommand.prepare(new String[] {"run"}, new PlayConnectCommand.Context(Map.of(),
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()), s -> 0));
        cl.getSubcommands().get("run").getCommandSpec().options().forEach(o -> names.add(o.longestName()));
        return names;
    }
}
