package dev.cxoneroutes.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.jms.EmbeddedBroker;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness on the management port follows the broker and, in live mode, CXone's token endpoint. */
class ReadinessTest {

    final ObjectMapper json = new ObjectMapper();
    final CxoneStub cxone = new CxoneStub();
    RunningService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        cxone.close();
    }

    @Test
    void is_ready_only_while_the_token_endpoint_and_the_broker_are_usable() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(aResponse().withStatus(500)));
        Map<String, String> settings = cxone.liveSettings();
        settings.put("health.token-check-seconds", "1");
        service = RunningService.start(settings);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> ready = ready();
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(downChecks(ready)).containsExactly("cxone-token");
        });
        assertThat(service.get(service.managementUrl("/observe/health/live")).statusCode())
                .isEqualTo(200);
        // Polling does not hammer the token endpoint: at most one try per second of polling.
        int tokenCalls = cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH)));
        for (int i = 0; i < 20; i++) {
            ready();
        }
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH))) - tokenCalls)
                .isLessThanOrEqualTo(2);

        cxone.reset();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ready().statusCode()).isEqualTo(200));

        service.context()
                .getRegistry()
                .lookupByNameAndType("embeddedBroker", EmbeddedBroker.class)
                .stop();
        HttpResponse<String> ready = ready();
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(downChecks(ready)).contains("broker");
        assertThat(service.get(service.managementUrl("/observe/health")).statusCode())
                .isEqualTo(503);
        assertThat(service.get(service.managementUrl("/observe/health/live")).statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> ready() {
        return service.get(service.managementUrl("/observe/health/ready?data=true"));
    }

    /** The checks reported DOWN (Camel's default exposure lists only those). */
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
