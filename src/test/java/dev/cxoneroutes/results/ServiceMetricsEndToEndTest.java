package dev.cxoneroutes.results;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Known traffic against a fresh service, then the exact numbers on /observe/metrics and
 * /api/v1/metrics/summary. One test, because every number counts since start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceMetricsEndToEndTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String VALID = "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";
    static final String KEY = "test-key-1";

    final ObjectMapper json = new ObjectMapper();
    CxoneStub cxone;
    CtiReceiver receiver;
    RunningService service;

    @BeforeAll
    void start() {
        cxone = new CxoneStub();
        receiver = new CtiReceiver().start();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cti.webhook-urls", receiver.url("/cti"));
        settings.put(
                "cti.webhook-secret",
                "whsec_" + java.util.Base64.getEncoder().encodeToString("metrics-test-key".getBytes()));
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() {
        service.close();
        receiver.close();
        cxone.close();
    }

    @Test
    void counts_known_traffic_in_prometheus_metrics_and_the_summary() throws Exception {
        // 3 plain successes, 1 success after one CXone 503, 1 invalid, 1 unauthorized, 1 rejected by CXone.
        for (int i = 1; i <= 3; i++) {
            assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "ok-" + i)
                            .statusCode())
                    .isEqualTo(200);
        }
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("flaky")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(503))
                        .willSetStateTo("up"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("flaky")
                        .whenScenarioStateIs("up")
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withBody("{\"id\":\"g-2\",\"url\":\"https://chat.example/g-2\"}")));
        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "retried-1")
                        .statusCode())
                .isEqualTo(200);
        assertThat(service.postJson(PATH, "{\"dtmf_sequence\":\"x\"}", "X-API-Key", KEY, "X-Request-ID", "invalid-1")
                        .statusCode())
                .isEqualTo(400);
        assertThat(service.postJson(PATH, VALID, "X-Request-ID", "nokey-1").statusCode())
                .isEqualTo(401);
        cxone.server().resetScenarios();
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .atPriority(1)
                        .willReturn(aResponse().withStatus(422)));
        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "rejected-1")
                        .statusCode())
                .isEqualTo(502);
        bridgeOverJms();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusText metrics = scrape();
            assertThat(metrics.valueOrZero("cxone_handoff_requests_total", "outcome", "success", "source", "http"))
                    .isEqualTo(4.0);
            assertThat(metrics.valueOrZero("cti_webhook_deliveries_total", "outcome", "success"))
                    .isEqualTo(8.0);
        });
        PrometheusText metrics = scrape();
        assertThat(metrics.valueOrZero("cxone_handoff_requests_total", "outcome", "error", "source", "http"))
                .isEqualTo(3.0);
        assertThat(metrics.valueOrZero("cxone_handoff_requests_total", "outcome", "success", "source", "jms"))
                .isZero();
        assertThat(metrics.valueOrZero("cxone_bridge_requests_total", "outcome", "success", "source", "jms"))
                .isEqualTo(1.0);
        assertThat(metrics.valueOrZero("cxone_request_duration_seconds_count", "operation", "handoff"))
                .isEqualTo(7.0);
        assertThat(metrics.value("cxone_request_duration_seconds_bucket", "operation", "handoff", "le", "+Inf"))
                .hasValue(7.0);
        assertThat(metrics.valueOrZero("cxone_request_duration_seconds_sum", "operation", "handoff"))
                .isPositive();
        assertThat(metrics.valueOrZero("cxone_oauth_token_fetches_total")).isEqualTo(1.0);
        assertThat(metrics.valueOrZero("cxone_retries_total", "operation", "handoff", "reason", "server_error"))
                .isEqualTo(1.0);
        assertThat(metrics.valueOrZero("cti_webhook_deliveries_total", "outcome", "error"))
                .isZero();
        // Every delivery went through the webhook spool and on to the broker: none is left waiting.
        assertThat(metrics.value("cti_webhook_spool_segments")).hasValue(0.0);
        // Camel's own route metrics come from the same registry, on the same page.
        assertThat(metrics.value("camel_exchanges_total", "routeId", "handoff-http"))
                .hasValue(7.0);
        // ... on the routes the alerts and the dashboard read, not on every inner step (each timed
        // route costs every exchange through it).
        assertThat(metrics.value("camel_exchanges_total", "routeId", "cxone-call"))
                .isPresent();
        assertThat(metrics.value("camel_exchanges_total", "routeId", "cxone-attempt"))
                .isEmpty();
        assertThat(metrics.value("camel_exchanges_total", "routeId", "results-publish"))
                .isEmpty();
        assertThat(metrics.valueOrZero("camel_routes_running_routes"))
                .isEqualTo(metrics.valueOrZero("camel_routes_added_routes"))
                .isPositive();

        assertThat(service.get(service.url("/api/v1/metrics/summary")).statusCode())
                .isEqualTo(401);
        HttpResponse<String> summary = service.get(service.url("/api/v1/metrics/summary"), "X-API-Key", KEY);
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        assertThat(summary.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode handoff = json.readTree(summary.body()).path("handoff");
        assertThat(handoff.path("total_operations").asLong()).isEqualTo(7);
        assertThat(handoff.path("success_count").asLong()).isEqualTo(4);
        assertThat(handoff.path("failure_count").asLong()).isEqualTo(3);
        assertThat(handoff.path("success_rate_percent").asDouble()).isEqualTo(57.14);
        double histogramAverageMs =
                1000 * metrics.valueOrZero("cxone_request_duration_seconds_sum", "operation", "handoff") / 7;
        assertThat(handoff.path("average_latency_ms").asDouble())
                .isPositive()
                .isCloseTo(histogramAverageMs, Offset.offset(0.1));
        JsonNode bridge = json.readTree(summary.body()).path("bridge");
        assertThat(bridge.path("total_operations").asLong()).isEqualTo(1);
        assertThat(bridge.path("success_rate_percent").asDouble()).isEqualTo(100.0);
        // The summary request itself is no handoff or bridge: it publishes nothing.
        assertThat(DataFiles.auditLines(service.dataDirectory())).hasSize(8);
    }

    /** A bridge command over JMS, through the real bridge-jms route, waiting for its reply. */
    private void bridgeOverJms() throws Exception {
        try (ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(service.jmsUrl());
                JMSContext jms = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            TemporaryQueue replies = jms.createTemporaryQueue();
            TextMessage request = jms.createTextMessage(
                    "{\"callId\":\"call-7\",\"targets\":[{\"type\":\"phone\",\"value\":\"+15551234567\"}],"
                            + "\"direction\":\"transfer\"}");
            request.setJMSReplyTo(replies);
            request.setStringProperty("request_id", "bridge-1");
            jms.createProducer().send(jms.createQueue("cxone.bridge"), request);
            Message reply = jms.createConsumer(replies).receive(30_000);
            assertThat(reply).isNotNull();
            assertThat(reply.getIntProperty("status")).isEqualTo(200);
        }
    }

    private PrometheusText scrape() {
        HttpResponse<String> response = service.get(service.managementUrl("/observe/metrics"));
        assertThat(response.statusCode()).isEqualTo(200);
        return new PrometheusText(response.body());
    }
}
