package dev.cxoneroutes.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard and the alert rules query only what the service really exposes: after traffic of
 * every kind they chart (handoffs, a bridge, a failure, a CXone 429 retry, a webhook), every metric
 * name, label and label value in ops/ is on /observe/metrics. A renamed meter or a typo in ops/
 * fails here, not in a dark dashboard panel or an alert that can never fire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsQueriesMatchMetricsTest {

    static final String KEY = "test-key-1";
    static final String HANDOFF = "/api/v1/ivr/handoff";
    static final String VALID_HANDOFF =
            "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";
    static final String BRIDGE =
            "{\"targets\":[{\"type\":\"phone\",\"value\":\"+15557654321\"}],\"direction\":\"outbound\"}";

    CxoneStub cxone;
    CtiReceiver receiver;
    RunningService service;
    ScrapedSeries scraped;

    @BeforeAll
    void start_the_service_and_drive_traffic_of_every_kind() {
        cxone = new CxoneStub();
        receiver = new CtiReceiver().start();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cti.webhook-urls", receiver.url("/cti"));
        settings.put("cti.webhook-secret", "whsec_" + Base64.getEncoder().encodeToString("ops-test-key".getBytes()));
        service = RunningService.start(settings);

        assertThat(handoff("ok-1").statusCode()).isEqualTo(200);
        // One 429 (rate_limited retry), then CXone accepts.
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("pacing")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(429))
                        .willSetStateTo("accepting"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("pacing")
                        .whenScenarioStateIs("accepting")
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withBody("{\"id\":\"g-2\",\"url\":\"https://chat.example/g-2\"}")));
        assertThat(handoff("paced-1").statusCode()).isEqualTo(200);
        assertThat(service.postJson(HANDOFF, "{\"dtmf_sequence\":\"x\"}", "X-API-Key", KEY)
                        .statusCode())
                .isEqualTo(400);
        assertThat(bridge("call-1").statusCode()).isEqualTo(200);
        cxone.stubBridge(aResponse().withStatus(422));
        assertThat(bridge("call-2").statusCode()).isEqualTo(502);

        // Five answers, five events, five webhook POSTs to the receiver.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new PrometheusText(metricsPage())
                        .valueOrZero("cti_webhook_deliveries_total", "outcome", "success"))
                .isEqualTo(5.0));
        scraped = ScrapedSeries.parse(metricsPage());
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        receiver.close();
        cxone.close();
    }

    @Test
    void every_metric_label_and_value_the_dashboard_queries_is_exposed() {
        List<OpsQueries.Query> queries = new ArrayList<>(OpsQueries.panelQueries());
        queries.addAll(OpsQueries.variableQueries());

        assertThat(problems(queries)).isEmpty();
        assertThat(queries).hasSizeGreaterThan(10);
    }

    @Test
    void every_metric_label_and_value_the_alert_rules_query_is_exposed() {
        List<OpsQueries.Query> queries = OpsQueries.ruleQueries();

        assertThat(problems(queries)).isEmpty();
        assertThat(queries).hasSize(OpsQueries.rules().size());
    }

    @Test
    void the_check_against_this_scrape_catches_a_misspelt_metric() {
        assertThat(
                        problems(
                                List.of(
                                        new OpsQueries.Query(
                                                "a typo",
                                                "sum(rate(cxone_handoff_request_total{outcome=\"error\"}[5m])) / sum(rate(cxone_handoff_requests_total{outcome=\"eror\"}[5m]))"))))
                .hasSize(2);
    }

    @Test
    void the_cxone_alerts_count_what_they_claim_to() {
        PrometheusText metrics = new PrometheusText(metricsPage());

        // Four requests reached CXone (the invalid handoff did not); one ended failed (the 422).
        assertThat(metrics.valueOrZero("camel_exchanges_total", "routeId", "cxone-call"))
                .isEqualTo(4.0);
        assertThat(metrics.valueOrZero("camel_exchanges_total", "routeId", "cxone-failed"))
                .isEqualTo(1.0);
        assertThat(metrics.valueOrZero("cxone_retries_total", "operation", "handoff", "reason", "rate_limited"))
                .isEqualTo(1.0);
    }

    @Test
    void a_healthy_service_runs_every_route_it_loaded_so_the_route_stopped_alert_is_quiet() {
        PrometheusText metrics = new PrometheusText(metricsPage());

        assertThat(metrics.value("camel_routes_running_routes"))
                .isPresent()
                .isEqualTo(metrics.value("camel_routes_added_routes"));
    }

    private List<String> problems(List<OpsQueries.Query> queries) {
        List<String> problems = new ArrayList<>();
        for (OpsQueries.Query query : queries) {
            for (PromqlSelectors.Selector selector : PromqlSelectors.in(query.expr())) {
                scraped.problems(selector).forEach(problem -> problems.add(query.where() + ": " + problem));
            }
        }
        return problems;
    }

    private HttpResponse<String> handoff(String requestId) {
        return service.postJson(HANDOFF, VALID_HANDOFF, "X-API-Key", KEY, "X-Request-ID", requestId);
    }

    private HttpResponse<String> bridge(String callId) {
        return service.postJson("/api/v1/calls/" + callId + "/bridge", BRIDGE, "X-API-Key", KEY);
    }

    private String metricsPage() {
        HttpResponse<String> response = service.get(service.managementUrl("/observe/metrics"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
