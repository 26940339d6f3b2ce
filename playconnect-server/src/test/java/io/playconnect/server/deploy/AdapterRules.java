package io.playconnect.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus adapter's rules in {@code deploy/k8s/prometheus-adapter-config.yaml}, with the
 * adapter's Go templates filled in the way it fills them for one pod.
 */
final class AdapterRules {
    private AdapterRules() {
    }

    static Path file() {
        return DeployFiles.deployDir().resolve("k8s/prometheus-adapter-config.yaml");
    }

    static JsonNode config() {
        String embedded = DeployFiles.readYaml(file()).path("data").path("config.yaml").asText();
        try {
            return DeployFiles.YAML.readTree(embedded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each rule's series query and its metrics query, rendered for pod p-1 in namespace ns. */
    static List<DeployFiles.Expr> expressions() {
        List<DeployFiles.Expr> out = new ArrayList<>();
        for (JsonNode rule : config().path("rules")) {
            String series = rule.path("seriesQuery").asText();
            String name = rule.path("name").path("as").asText();
            out.add(new DeployFiles.Expr(name + " seriesQuery", series));
            String rendered = rule.path("metricsQuery").asText()
                    .replace("<<.Series>>", series.replaceAll("\\{.*}", ""))
                    .replace("<<.LabelMatchers>>", "namespace=\"ns\",pod=~\"p-1\"")
                    .replace("<<.GroupBy>>", "pod");
            out.add(new DeployFiles.Expr(name + " metricsQuery", rendered));
        }
        return out;
    }
}
