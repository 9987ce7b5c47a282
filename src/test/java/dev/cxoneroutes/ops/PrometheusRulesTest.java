package dev.cxoneroutes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops/prometheus-rules.yaml as Prometheus itself reads it: promtool accepts the file, its unit
 * tests (synthetic series, expected alerts) pass, and the dashboard's queries are valid PromQL.
 * Whether the metrics they name exist is OpsQueriesMatchMetricsTest's job.
 */
class PrometheusRulesTest {

    @Test
    void promtool_accepts_the_rules() {
        Promtool.Result result = Promtool.required().run("check", "rules", OpsQueries.RULES.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + OpsQueries.rules().size() + " rules found");
    }

    @Test
    void every_alert_fires_and_stays_quiet_as_its_unit_tests_expect() {
        Promtool.Result result = Promtool.required().run("test", "rules", OpsQueries.RULE_TESTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void every_alert_is_unit_tested_firing() {
        String tests = OpsQueries.read(OpsQueries.RULE_TESTS);
        for (Map<String, Object> rule : OpsQueries.rules()) {
            assertThat(tests).as("a promtool test of " + rule.get("alert")).contains("alertname: " + rule.get("alert"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_alert_has_a_severity_a_summary_and_a_runbook() {
        List<Map<String, Object>> rules = OpsQueries.rules();
        assertThat(rules)
                .extracting(rule -> rule.get("alert"))
                .doesNotContainNull()
                .doesNotHaveDuplicates();
        for (Map<String, Object> rule : rules) {
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(labels.get("severity"))
                    .as(rule.get("alert") + " severity")
                    .isIn("critical", "warning");
            assertThat((String) annotations.get("summary"))
                    .as(rule.get("alert") + " summary")
                    .isNotBlank();
            assertThat((String) annotations.get("runbook"))
                    .as(rule.get("alert") + " runbook")
                    .startsWith("First ")
                    .hasSizeGreaterThan(80);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_rules_select_the_jobs_the_example_prometheus_configuration_scrapes() {
        Map<String, Object> config = (Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
                        org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(OpsQueries.read(Path.of("ops/prometheus.example.yml")));
        List<String> jobNames = ((List<Map<String, Object>>) config.get("scrape_configs"))
                .stream().map(job -> (String) job.get("job_name")).toList();
        List<String> jobsInRules = OpsQueries.ruleQueries().stream()
                .flatMap(query -> PromqlSelectors.in(query.expr()).stream())
                .flatMap(selector -> selector.matchers().stream())
                .filter(matcher -> matcher.label().equals("job"))
                .map(PromqlSelectors.Matcher::value)
                .distinct()
                .toList();

        assertThat(config.get("rule_files")).isEqualTo(List.of("prometheus-rules.yaml"));
        assertThat(jobsInRules).containsExactlyInAnyOrderElementsOf(jobNames);
        assertThat(OpsQueries.ruleQueries())
                .as("every rule names its job, so other services' series never count")
                .allSatisfy(query -> assertThat(query.expr()).contains("job=\""));
    }

    @Test
    void the_dashboard_queries_are_valid_promql(@TempDir Path scratch) throws IOException {
        StringBuilder asRules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<OpsQueries.Query> queries = OpsQueries.panelQueries();
        for (int i = 0; i < queries.size(); i++) {
            String expr = queries.get(i)
                    .expr()
                    .replace("$__rate_interval", "5m")
                    .replace("$__range", "6h")
                    .replace("$job", ".*")
                    .replace("$instance", ".*");
            asRules.append("      - record: dashboard:query_")
                    .append(i)
                    .append("\n        expr: '")
                    .append(expr.replace("'", "''"))
                    .append("'\n");
        }
        Path file = Files.writeString(scratch.resolve("dashboard-queries.yaml"), asRules);

        Promtool.Result result = Promtool.required().run("check", "rules", file.toString());

        assertThat(queries).hasSizeGreaterThan(10);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void a_broken_rule_file_fails_the_check(@TempDir Path scratch) throws IOException {
        Path broken = Files.writeString(
                scratch.resolve("broken.yaml"),
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])\n");

        Promtool.Result result = Promtool.required().run("check", "rules", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }
}
