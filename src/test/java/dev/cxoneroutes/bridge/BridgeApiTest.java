package dev.cxoneroutes.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /api/v1/calls/{callId}/bridge against a stub CXone: the answer, the request CXone gets, the errors. */
class BridgeApiTest extends LiveServiceTest {

    static final String CALL_ID = "call-42_A";
    static final String PATH = "/api/v1/calls/" + CALL_ID + "/bridge";
    static final String KEY = "test-key-1";
    static final String VALID =
            """
            {"targets":[{"type":"phone","value":"+15551234567"},{"type":"phone","value":"4930123456"}],
             "direction":"consult","bridgeMatrix":[{"source":0,"target":1},{"source":2,"target":0}],"dtmf":"INFO"}""";
    static final String MINIMAL =
            """
            {"targets":[{"type":"phone","value":"+15551234567"}],"direction":"transfer"}""";

    final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final LiveService live = new LiveService();

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void bridges_the_call_and_answers_with_cxone_result() throws Exception {
        HttpResponse<String> response = service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "req-b1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("req-b1");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        ObjectNode body = (ObjectNode) json.readTree(response.body());
        assertThat(body.fieldNames())
                .toIterable()
                .containsExactly("status", "request_id", "call_id", "status_code", "latency_ms", "attempts", "data");
        assertThat(body.path("latency_ms").isNumber()).as(response.body()).isTrue();
        assertThat(body.path("latency_ms").asDouble()).isNotNegative();
        body.remove("latency_ms");
        assertThat(body)
                .isEqualTo(json.readTree(
                        """
                {"status":"success","request_id":"req-b1","call_id":"call-42_A","status_code":200,"attempts":1,
                 "data":%s}"""
                                .formatted(CxoneStub.BRIDGE_ANSWER)));
    }

    @Test
    void sends_cxone_exactly_the_contract_bridge_payload() {
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "req-b2");

        cxone.server()
                .verify(
                        1,
                        postRequestedFor(urlPathEqualTo(CxoneStub.bridgePath(CALL_ID)))
                                .withHeader("Authorization", equalTo("Bearer tok-1"))
                                .withHeader("X-CXone-Request-ID", equalTo("req-b2"))
                                .withHeader("Content-Type", equalTo("application/json"))
                                .withoutHeader("X-API-Key")
                                .withRequestBody(
                                        equalToJson(
                                                """
                        {"callId":"call-42_A",
                         "targets":[{"type":"phone","value":"+15551234567"},{"type":"phone","value":"4930123456"}],
                         "direction":"consult",
                         "bridgeMatrix":[{"source":0,"target":1},{"source":2,"target":0}],
                         "dtmf":"INFO"}""")));
    }

    @Test
    void fills_in_an_empty_matrix_and_rfc2833_when_they_are_absent() {
        HttpResponse<String> response = service.postJson(PATH, MINIMAL, "X-API-Key", KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        cxone.server()
                .verify(
                        1,
                        postRequestedFor(urlPathEqualTo(CxoneStub.bridgePath(CALL_ID)))
                                .withRequestBody(
                                        equalToJson(
                                                """
                        {"callId":"call-42_A","targets":[{"type":"phone","value":"+15551234567"}],
                         "direction":"transfer","bridgeMatrix":[],"dtmf":"RFC2833"}""")));
    }

    @Test
    void accepts_a_body_repeating_the_path_call_id() {
        HttpResponse<String> response =
                service.postJson(PATH, "{\"callId\":\"call-42_A\"," + MINIMAL.substring(1), "X-API-Key", KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void reports_every_invalid_field_at_once_without_calling_cxone() throws Exception {
        HttpResponse<String> response = service.postJson(
                PATH,
                """
                {"targets":[{"type":"phone","value":"+15551234567"},{"type":"sip","value":"+15551234567"},
                            {"type":"phone","value":"+1"}],
                 "direction":"sideways","bridgeMatrix":[{"source":"zero","target":1},{"source":0,"target":4}],
                 "dtmf":"TONE"}""",
                "X-API-Key",
                KEY);

        JsonNode problem = assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response))
                .containsExactly(
                        "bridgeMatrix[0].source",
                        "bridgeMatrix[1].target",
                        "direction",
                        "dtmf",
                        "targets[1].type",
                        "targets[2].value");
        assertThat(response.body()).doesNotContain("5551234567");
        assertThat(problem.path("errors").findValuesAsText("message")).allMatch(m -> !m.isBlank());
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isZero();
    }

    @Test
    void rejects_nine_legs_naming_targets() throws Exception {
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            targets.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"phone\",\"value\":\"+1555000000")
                    .append(i)
                    .append("\"}");
        }
        HttpResponse<String> response =
                service.postJson(PATH, "{\"targets\":[" + targets + "],\"direction\":\"outbound\"}", "X-API-Key", KEY);

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response)).containsExactly("targets");
    }

    @Test
    void rejects_an_invalid_call_id_in_the_path_naming_call_id() throws Exception {
        for (String callId : List.of("call.42", "c".repeat(65))) {
            HttpResponse<String> response =
                    service.postJson("/api/v1/calls/" + callId + "/bridge", MINIMAL, "X-API-Key", KEY);

            assertProblem(response, 400, "INVALID_REQUEST");
            assertThat(fields(response)).as(callId).containsExactly("callId");
        }
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isZero();
    }

    @Test
    void rejects_a_body_naming_another_call_together_with_other_errors() throws Exception {
        HttpResponse<String> response = service.postJson(
                PATH, "{\"callId\":\"call-43\",\"targets\":[],\"direction\":\"transfer\"}", "X-API-Key", KEY);

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response)).containsExactly("callId", "targets");
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isZero();
    }

    @Test
    void rejects_a_call_id_also_given_as_query_parameter() throws Exception {
        HttpResponse<String> response = service.postJson(PATH + "?callId=call-43", MINIMAL, "X-API-Key", KEY);

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response)).containsExactly("callId");
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isZero();
    }

    @Test
    void rejects_malformed_json_and_other_media_types() throws Exception {
        assertProblem(service.postJson(PATH, "{\"targets\":", "X-API-Key", KEY), 400, "MALFORMED_JSON");
        assertProblem(
                service.post(PATH, "application/x-www-form-urlencoded", "direction=inbound", "X-API-Key", KEY),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(service.postJson(PATH, MINIMAL), 401, "UNAUTHORIZED");
    }

    @Test
    void retries_a_429_and_reports_two_attempts() throws Exception {
        cxone.server()
                .stubFor(post(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))
                        .inScenario("rate limited once")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(429))
                        .willSetStateTo("recovered"));
        cxone.server()
                .stubFor(post(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))
                        .inScenario("rate limited once")
                        .whenScenarioStateIs("recovered")
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(CxoneStub.BRIDGE_ANSWER)));

        HttpResponse<String> response = service.postJson(PATH, MINIMAL, "X-API-Key", KEY, "X-Request-ID", "req-b429");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("attempts").asInt()).isEqualTo(2);
        assertThat(body.path("status_code").asInt()).isEqualTo(200);
        assertThat(body.path("data")).isEqualTo(json.readTree(CxoneStub.BRIDGE_ANSWER));
        // Both attempts are the same request to CXone.
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.bridgePath(CALL_ID)))
                        .withHeader("X-CXone-Request-ID", equalTo("req-b429"))))
                .isEqualTo(2);
    }

    @Test
    void answers_503_after_four_attempts_when_cxone_stays_unavailable() throws Exception {
        // CxoneStub.liveSettings() leaves CXONE_MAX_ATTEMPTS at its default of 4 and keeps the circuit closed.
        assertThat(cxone.liveSettings()).doesNotContainKey("cxone.max-attempts");
        cxone.stubBridge(aResponse().withStatus(503));

        HttpResponse<String> response = service.postJson(PATH, MINIMAL, "X-API-Key", KEY);

        assertProblem(response, 503, "CXONE_UNAVAILABLE");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isEqualTo(4);
    }

    @Test
    void replays_a_repeated_idempotency_key_without_bridging_twice() throws Exception {
        HttpResponse<String> first =
                service.postJson(PATH, MINIMAL, "X-API-Key", KEY, "Idempotency-Key", "bridge-key-1");
        HttpResponse<String> again =
                service.postJson(PATH, MINIMAL, "X-API-Key", KEY, "Idempotency-Key", "bridge-key-1");

        assertReplayed(first, again);
    }

    @Test
    void replays_a_repeated_body_request_id_without_bridging_twice() throws Exception {
        String withRequestId = "{\"requestId\":\"crm-7781\"," + MINIMAL.substring(1);
        HttpResponse<String> first = service.postJson(PATH, withRequestId, "X-API-Key", KEY);
        HttpResponse<String> again = service.postJson(PATH, withRequestId, "X-API-Key", KEY);

        assertReplayed(first, again);
    }

    private void assertReplayed(HttpResponse<String> first, HttpResponse<String> again) throws Exception {
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(again.body())).isEqualTo(json.readTree(first.body()));
        assertThat(cxone.count(postRequestedFor(urlPathMatching(CxoneStub.BRIDGE_PATH_PATTERN))))
                .isEqualTo(1);
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("request_id").asText())
                .isEqualTo(response.headers().firstValue("X-Request-ID").orElseThrow());
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain("at dev.")
                .doesNotContain("at org.");
        return problem;
    }

    private List<String> fields(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).path("errors").findValuesAsText("field");
    }
}
