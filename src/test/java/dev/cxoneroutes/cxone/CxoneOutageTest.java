package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A CXone that hangs or keeps failing: timeouts answer 504, and the circuit breaker fails fast. */
class CxoneOutageTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String BODY = "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"x\"}";

    final ObjectMapper json = new ObjectMapper();
    CxoneStub cxone;
    RunningService service;

    @BeforeEach
    void start() {
        cxone = new CxoneStub();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cxone.timeout-seconds", "1");
        settings.put("cxone.max-attempts", "2");
        settings.put("cxone.circuit.window-calls", "4");
        settings.put("cxone.circuit.minimum-calls", "4");
        settings.put("cxone.circuit.failure-rate-percent", "50");
        settings.put("cxone.circuit.open-seconds", "30");
        service = RunningService.start(settings);
    }

    @AfterEach
    void stop() {
        service.close();
        cxone.close();
    }

    @Test
    void answers_504_when_cxone_does_not_answer_in_time() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(201).withFixedDelay(2500)));

        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("CXONE_TIMEOUT");
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(2);
    }

    @Test
    void opens_the_circuit_after_repeated_failures_and_fails_fast() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(500)));

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(503);
        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(503);
        int callsWhileClosing = cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)));
        assertThat(callsWhileClosing).isEqualTo(4);

        HttpResponse<String> failedFast = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        JsonNode problem = json.readTree(failedFast.body());
        assertThat(failedFast.statusCode()).isEqualTo(503);
        assertThat(problem.path("code").asText()).isEqualTo("CXONE_UNAVAILABLE");
        assertThat(failedFast.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(callsWhileClosing);
    }
}
