package dev.cxoneroutes.health;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CapturedLogs;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §4: CXone cannot be reached when the service starts. It starts anyway, says so in one
 * WARN line naming the URL, reports readiness check {@code cxone} DOWN, fetches no token to find
 * out, and is ready by itself once CXone answers.
 */
class CxoneUnreachableAtStartupTest {

    static final String HANDOFF = "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";

    final ObjectMapper json = new ObjectMapper();

    @Test
    void starts_without_cxone_says_so_and_becomes_ready_when_cxone_is_back() throws Exception {
        CxoneStub gone = new CxoneStub();
        int port = gone.server().port();
        Map<String, String> settings = gone.liveSettings();
        gone.close(); // nothing listens on CXone's port now
        settings.put("health.cxone-check-seconds", "1");
        settings.put("health.token-check-seconds", "1");
        String baseUrl = settings.get("cxone.base-url");

        try (CapturedLogs logs = CapturedLogs.start();
                RunningService service = RunningService.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logs.lines())
                    .anyMatch(line ->
                            line.startsWith("WARN ") && line.contains("CXone at " + baseUrl + " is NOT reachable")));
            assertThat(metrics(service).valueOrZero("cxone_oauth_token_fetches_total"))
                    .as("finding out took no token")
                    .isZero();

            HttpResponse<String> ready = ready(service);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(downChecks(ready)).contains("cxone");
            assertThat(service.get(service.managementUrl("/observe/health/live"))
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> answer = service.postJson("/api/v1/ivr/handoff", HANDOFF, "X-API-Key", "test-key-1");
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(json.readTree(answer.body()).path("code").asText()).isEqualTo("CXONE_UNAVAILABLE");

            try (CxoneStub back = new CxoneStub(port)) {
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () -> assertThat(ready(service).statusCode()).isEqualTo(200));
                assertThat(service.postJson("/api/v1/ivr/handoff", HANDOFF, "X-API-Key", "test-key-1")
                                .statusCode())
                        .isEqualTo(200);
                assertThat(back.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                        .isEqualTo(1);
            }
        }
    }

    private static HttpResponse<String> ready(RunningService service) {
        return service.get(service.managementUrl("/observe/health/ready?data=true"));
    }

    private static PrometheusText metrics(RunningService service) {
        return new PrometheusText(
                service.get(service.managementUrl("/observe/metrics")).body());
    }

    private List<String> downChecks(HttpResponse<String> health) throws Exception {
        List<String> down = new ArrayList<>();
        for (JsonNode check : json.readTree(health.body()).path("checks")) {
            if ("DOWN".equals(check.path("status").asText())) {
                down.add(check.path("name").asText());
            }
        }
        return down;
    }
}
