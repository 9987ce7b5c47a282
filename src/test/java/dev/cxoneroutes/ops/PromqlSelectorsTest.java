package dev.cxoneroutes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric-name check of ops/ must catch a typo: these pin what the extractor and the check see. */
class PromqlSelectorsTest {

    static final String SCRAPE =
            """
            # TYPE cxone_handoff_requests_total counter
            cxone_handoff_requests_total{outcome="error",source="http"} 3.0
            cxone_handoff_requests_total{outcome="success",source="http"} 4.0
            # TYPE cxone_request_duration_seconds histogram
            cxone_request_duration_seconds_bucket{operation="handoff",le="0.005"} 0
            cxone_request_duration_seconds_bucket{operation="handoff",le="+Inf"} 7
            cxone_request_duration_seconds_count{operation="handoff"} 7
            cxone_request_duration_seconds_sum{operation="handoff"} 0.5
            cti_webhook_dead_letters_total 0.0
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 6.2656E7
            """;

    @Test
    void finds_metric_names_not_functions_keywords_label_lists_or_grafana_variables() {
        String expr = "histogram_quantile(0.95, sum by (le, operation) "
                + "(rate(cxone_request_duration_seconds_bucket{job=~\"$job\", instance=~\"${instance:regex}\"}[$__rate_interval])))"
                + " / on (operation) group_left sum without (le) (rate(cxone_request_duration_seconds_count[5m] offset 1h))"
                + " > 1e3 and bool up unless count(probe_success) by (instance)";

        assertThat(PromqlSelectors.metricNames(expr))
                .containsExactly(
                        "cxone_request_duration_seconds_bucket",
                        "cxone_request_duration_seconds_count",
                        "up",
                        "probe_success");
    }

    @Test
    void reads_label_matchers_with_their_operators_and_unescaped_values() {
        List<PromqlSelectors.Selector> selectors =
                PromqlSelectors.in("sum(rate(cxone_retries_total{reason=\"rate_limited\", operation!~\"b.*\","
                        + " note=\"say \\\"hi\\\"\"}[5m]))");

        assertThat(selectors)
                .containsExactly(new PromqlSelectors.Selector(
                        "cxone_retries_total",
                        List.of(
                                new PromqlSelectors.Matcher("reason", "=", "rate_limited"),
                                new PromqlSelectors.Matcher("operation", "!~", "b.*"),
                                new PromqlSelectors.Matcher("note", "=", "say \"hi\""))));
    }

    @Test
    void the_names_in_ops_are_found_in_every_query() {
        for (OpsQueries.Query query : allOpsQueries()) {
            assertThat(PromqlSelectors.metricNames(query.expr()))
                    .as(query.where() + ": " + query.expr())
                    .isNotEmpty()
                    .allMatch(name -> name.matches("[a-z_:][a-z0-9_:]*"));
        }
    }

    @Test
    void a_known_metric_with_known_labels_and_values_has_no_problems() {
        ScrapedSeries scraped = ScrapedSeries.parse(SCRAPE);

        for (String expr : List.of(
                "sum(rate(cxone_handoff_requests_total{job=\"cxone-routes\", outcome=\"error\"}[5m]))",
                "histogram_quantile(0.9, rate(cxone_request_duration_seconds_bucket{operation=~\"hand.*\"}[5m]))",
                "rate(cxone_request_duration_seconds_sum[5m]) / rate(cxone_request_duration_seconds_count[5m])",
                "increase(cti_webhook_dead_letters_total[15m])",
                "jvm_memory_used_bytes{area=\"heap\", instance=~\"$instance\"}",
                "up == 0 or probe_success == 0")) {
            assertThat(PromqlSelectors.in(expr).stream().flatMap(s -> scraped.problems(s).stream()))
                    .as(expr)
                    .isEmpty();
        }
    }

    @Test
    void a_typo_in_a_name_a_label_or_a_value_is_a_problem() {
        ScrapedSeries scraped = ScrapedSeries.parse(SCRAPE);

        assertThat(problems(scraped, "rate(cxone_handoff_request_total[5m])"))
                .containsExactly("no series named cxone_handoff_request_total");
        assertThat(problems(scraped, "rate(cxone_request_duration_seconds[5m])"))
                .as("a histogram's family name is no series: queries need _bucket, _sum or _count")
                .containsExactly("no series named cxone_request_duration_seconds");
        assertThat(problems(scraped, "cxone_handoff_requests_total{outcom=\"error\"}"))
                .containsExactly("cxone_handoff_requests_total has no label outcom");
        assertThat(problems(scraped, "cxone_handoff_requests_total{outcome=\"failure\"}"))
                .singleElement()
                .asString()
                .startsWith("cxone_handoff_requests_total has no series with outcome=\"failure\"");
        assertThat(problems(scraped, "jvm_memory_used_bytes{area=~\"hea\"}"))
                .as("PromQL regexes match the whole value")
                .hasSize(1);
    }

    static List<String> problems(ScrapedSeries scraped, String expr) {
        return PromqlSelectors.in(expr).stream()
                .flatMap(selector -> scraped.problems(selector).stream())
                .toList();
    }

    static List<OpsQueries.Query> allOpsQueries() {
        List<OpsQueries.Query> all = new java.util.ArrayList<>(OpsQueries.ruleQueries());
        all.addAll(OpsQueries.panelQueries());
        all.addAll(OpsQueries.variableQueries());
        return all;
    }
}
