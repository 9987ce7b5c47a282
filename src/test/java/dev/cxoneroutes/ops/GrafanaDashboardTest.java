package dev.cxoneroutes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ops/grafana-dashboard.json imports into any Grafana with a Prometheus data source: it names no
 * data source of ours, only its own variable, and its panels are laid out without overlap. What
 * its queries ask is checked by OpsQueriesMatchMetricsTest and PrometheusRulesTest.
 */
class GrafanaDashboardTest {

    final JsonNode dashboard = OpsQueries.dashboard();

    @Test
    void asks_for_a_prometheus_data_source_on_import() {
        JsonNode datasource = variable("datasource");

        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("uid").asText()).isEqualTo("cxone-routes");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        for (JsonNode panel : panels()) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(refIds.add(target.path("refId").asText()))
                        .as("unique refId in " + panel.path("title").asText())
                        .isTrue();
            }
        }
    }

    @Test
    void filters_every_query_by_the_job_and_instance_variables() {
        assertThat(variable("job").path("query").path("query").asText()).startsWith("label_values(");
        assertThat(variable("instance").path("multi").asBoolean()).isTrue();
        for (OpsQueries.Query query : OpsQueries.panelQueries()) {
            for (PromqlSelectors.Selector selector : PromqlSelectors.in(query.expr())) {
                assertThat(selector.matchers())
                        .as(query.where())
                        .contains(
                                new PromqlSelectors.Matcher("job", "=~", "$job"),
                                new PromqlSelectors.Matcher("instance", "=~", "$instance"));
            }
        }
    }

    @Test
    void panels_have_unique_ids_and_do_not_overlap() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : panels()) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique id " + panel.path("id"))
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            int[] box = {
                grid.path("x").asInt(),
                grid.path("y").asInt(),
                grid.path("w").asInt(),
                grid.path("h").asInt()
            };
            assertThat(box[0] + box[2])
                    .as(panel.path("title").asText() + " fits 24 columns")
                    .isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2]
                        && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3]
                        && other[1] < box[1] + box[3];
                assertThat(overlap)
                        .as(panel.path("title").asText() + " overlaps another panel")
                        .isFalse();
            }
            boxes.add(box);
        }
    }

    @Test
    void charts_what_the_issue_asks_for() {
        String queries = String.join(
                "\n",
                OpsQueries.panelQueries().stream().map(OpsQueries.Query::expr).toList());

        assertThat(queries)
                .contains("sum by (source, outcome) (rate(cxone_handoff_requests_total")
                .contains("histogram_quantile(0.95, sum by (le, operation) (rate(cxone_request_duration_seconds_bucket")
                .contains("sum by (operation, reason) (rate(cxone_retries_total")
                .contains("cxone_oauth_token_fetches_total")
                .contains("cti_webhook_deliveries_total")
                .contains("cti_webhook_dead_letters_total")
                .contains("jvm_memory_used_bytes");
    }

    private List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        return panels;
    }

    private JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no dashboard variable " + name);
    }
}
