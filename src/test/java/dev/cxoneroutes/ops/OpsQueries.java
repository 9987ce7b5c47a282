package dev.cxoneroutes.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Every PromQL query of ops/: the alert rules' expressions and the dashboard's panel and variable queries. */
final class OpsQueries {

    static final Path RULES = Path.of("ops/prometheus-rules.yaml");
    static final Path RULE_TESTS = Path.of("ops/prometheus-rules.test.yaml");
    static final Path DASHBOARD = Path.of("ops/grafana-dashboard.json");

    /** One query and where it is, for messages. */
    record Query(String where, String expr) {}

    private OpsQueries() {}

    /** The alert rules as YAML maps (alert, expr, labels, annotations, …). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() {
        Map<String, Object> file =
                (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(read(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    static List<Query> ruleQueries() {
        return rules().stream()
                .map(rule -> new Query(
                        RULES + " alert " + rule.getOrDefault("alert", rule.get("record")), (String) rule.get("expr")))
                .toList();
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(read(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel target's expr (rows' nested panels too). */
    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        collectPanels(dashboard().path("panels"), queries);
        return queries;
    }

    /**
     * The metric of each query variable: {@code label_values(metric{…}, label)} asks Prometheus for
     * the label values of that metric's series.
     */
    static List<Query> variableQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            String inner = text.replaceFirst("^\\s*label_values\\((.*),\\s*[A-Za-z_]\\w*\\s*\\)\\s*$", "$1");
            queries.add(
                    new Query(DASHBOARD + " variable " + variable.path("name").asText(), inner));
        }
        return queries;
    }

    private static void collectPanels(JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(
                        DASHBOARD + " panel \"" + panel.path("title").asText() + "\" query "
                                + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
            collectPanels(panel.path("panels"), queries);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
