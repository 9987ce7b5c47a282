package dev.cxoneroutes.handoff;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.ServiceVersion;
import dev.cxoneroutes.testing.CapturedLogs;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /api/v1/ivr/handoff against a stub CXone: the answer, the request CXone gets, the errors. */
class HandoffApiTest extends LiveServiceTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String KEY = "test-key-1";
    static final String VALID =
            """
            {"dtmf_sequence":"12#","voice_history":{"queue_name":"billing","duration":42,"notes":"vip"},
             "caller_id":"+15551234567","language_preference":"fr-CA"}""";

    final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final LiveService live = new LiveService();

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void creates_a_guest_session_and_answers_with_its_url() throws Exception {
        HttpResponse<String> response = service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "req-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("req-42");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json.readTree(response.body());
        assertThat(body)
                .isEqualTo(
                        json.readTree(
                                """
                {"status":"success","request_id":"req-42","guest_id":"guest-1",
                 "session_url":"https://chat.example/s/guest-1","state":"new","channel":"webMessaging",
                 "redirect_instructions":"Use the session_url to redirect the caller or inject into IVR variables."}"""));
    }

    @Test
    void sends_cxone_the_contract_guest_payload_with_bearer_token_and_request_id() {
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "req-43");

        cxone.server()
                .verify(
                        1,
                        postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))
                                .withHeader("Authorization", equalTo("Bearer tok-1"))
                                .withHeader("X-CXone-Request-ID", equalTo("req-43"))
                                .withHeader("Content-Type", equalTo("application/json"))
                                .withoutHeader("X-API-Key")
                                .withRequestBody(equalToJson(
                                        """
                        {"channel":"webMessaging","channelSwitch":{"from":"voice"},
                         "attributes":{"dtmf_sequence":"12#",
                           "voice_history":{"queue_name":"billing","duration":42,"notes":"vip"},
                           "caller_id":"+15551234567","language_preference":"fr-CA","source":"ivr_channel_switch",
                           "mapped_variables":{"previous_queue":"billing","call_duration_seconds":42,"ivr_menu_selections":"12#"}},
                         "metadata":{"system":"cxone-routes","version":"%s"}}"""
                                                .formatted(ServiceVersion.read()))));
        assertThat(ServiceVersion.read()).isNotEqualTo("unknown");
    }

    /** Of CXone's answer headers, only its trace id is kept (for the log); none reach the caller. */
    @Test
    void logs_the_cxone_trace_id_and_passes_none_of_cxones_headers_to_the_caller() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withHeader("Content-Type", "application/json")
                                .withHeader("x-trace-id", "trace-77")
                                .withHeader("X-Backend-Node", "cxone-node-3")
                                .withBody("{\"id\":\"guest-1\",\"url\":\"https://chat.example/guest-1\"}")));

        HttpResponse<String> response;
        try (CapturedLogs logs = CapturedLogs.start()) {
            response = service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "req-trace");
            assertThat(logs.text()).contains("request_id=req-trace x-trace-id=trace-77");
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet())
                .noneMatch(name -> name.equalsIgnoreCase("x-trace-id") || name.equalsIgnoreCase("X-Backend-Node"));
    }

    /** JSON is UTF-8 (RFC 8259): a caller's name in any script reaches CXone as it was sent. */
    @Test
    void sends_cxone_the_voice_data_in_utf_8() {
        service.postJson(
                PATH,
                """
                {"dtmf_sequence":"1","voice_history":{"queue_name":"Zoë","notes":"山田 — ☎"},"caller_id":"anon"}""",
                "X-API-Key",
                KEY);

        cxone.server()
                .verify(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withRequestBody(equalToJson(
                                """
                        {"attributes":{"voice_history":{"queue_name":"Zoë","notes":"山田 — ☎"},
                          "mapped_variables":{"previous_queue":"Zoë"}}}""",
                                true,
                                true)));
    }

    /** CXone's API is bearer-token only: one caller's cookies never ride along on the next call. */
    @Test
    void never_sends_cxone_a_cookie_it_set_on_an_earlier_answer() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withHeader("Content-Type", "application/json")
                                .withHeader("Set-Cookie", "AWSALB=caller-one; Path=/")
                                .withBody("{\"id\":\"guest-1\",\"url\":\"https://chat.example/guest-1\"}")));

        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY).statusCode()).isEqualTo(200);

        cxone.server()
                .verify(
                        2,
                        postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)).withoutHeader("Cookie"));
    }

    @Test
    void maps_missing_voice_data_to_defaults_and_language_to_en_us() {
        service.postJson(
                PATH,
                """
                {"dtmf_sequence":"9","voice_history":{},"caller_id":"anon"}""",
                "X-API-Key",
                KEY);

        cxone.server()
                .verify(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withRequestBody(equalToJson(
                                """
                        {"attributes":{"language_preference":"en-US","mapped_variables":
                          {"previous_queue":"unknown","call_duration_seconds":0,"ivr_menu_selections":"9"}}}""",
                                true,
                                true)));
    }

    @Test
    void accepts_the_studio_rest_action_form_body_with_json_encoded_voice_history() throws Exception {
        HttpResponse<String> response = service.post(
                PATH,
                "application/x-www-form-urlencoded",
                "dtmf_sequence=12%23&voice_history=%7B%22queue_name%22%3A%22billing%22%2C%22duration%22%3A7%7D&caller_id=%2B15551234567",
                "X-API-Key",
                KEY,
                "Accept",
                "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("session_url").asText())
                .isEqualTo("https://chat.example/s/guest-1");
        cxone.server()
                .verify(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withRequestBody(equalToJson(
                                """
                        {"attributes":{"dtmf_sequence":"12#","voice_history":{"queue_name":"billing","duration":7},
                          "caller_id":"+15551234567",
                          "mapped_variables":{"previous_queue":"billing","call_duration_seconds":7}}}""",
                                true,
                                true)));
    }

    @Test
    void form_body_with_voice_history_that_is_not_a_json_object_names_the_field() throws Exception {
        HttpResponse<String> response = service.post(
                PATH,
                "application/x-www-form-urlencoded",
                "dtmf_sequence=1&voice_history=not-json&caller_id=x",
                "X-API-Key",
                KEY);

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response)).containsExactly("voice_history");
    }

    @Test
    void json_sent_as_a_form_is_told_to_use_the_json_content_type() throws Exception {
        HttpResponse<String> response =
                service.post(PATH, "application/x-www-form-urlencoded", VALID, "X-API-Key", KEY);

        JsonNode problem = assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(problem.path("detail").asText()).contains("Content-Type: application/json");
    }

    @Test
    void reports_every_invalid_field_at_once() throws Exception {
        HttpResponse<String> response = service.postJson(
                PATH,
                """
                {"dtmf_sequence":"12x","voice_history":{},"caller_id":"  "}""",
                "X-API-Key",
                KEY);

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response)).containsExactly("caller_id", "dtmf_sequence");
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isZero();
    }

    @Test
    void reports_wrong_types_together_with_rule_violations() throws Exception {
        HttpResponse<String> response = service.postJson(
                PATH,
                """
                {"dtmf_sequence":"","voice_history":"queue=billing","caller_id":"x","language_preference":"not a tag"}""",
                "X-API-Key",
                KEY);

        assertProblem(response, 400, "INVALID_REQUEST");
        assertThat(fields(response)).containsExactly("dtmf_sequence", "language_preference", "voice_history");
    }

    @Test
    void enforces_each_field_rule() throws Exception {
        String longDtmf = "1".repeat(65);
        String longCaller = "c".repeat(65);
        record Case(String body, String field) {}
        List<Case> cases = List.of(
                new Case("{\"voice_history\":{},\"caller_id\":\"x\"}", "dtmf_sequence"),
                new Case(
                        "{\"dtmf_sequence\":\"" + longDtmf + "\",\"voice_history\":{},\"caller_id\":\"x\"}",
                        "dtmf_sequence"),
                new Case("{\"dtmf_sequence\":\"12E\",\"voice_history\":{},\"caller_id\":\"x\"}", "dtmf_sequence"),
                new Case("{\"dtmf_sequence\":\"1\",\"caller_id\":\"x\"}", "voice_history"),
                new Case("{\"dtmf_sequence\":\"1\",\"voice_history\":[1],\"caller_id\":\"x\"}", "voice_history"),
                new Case("{\"dtmf_sequence\":\"1\",\"voice_history\":{}}", "caller_id"),
                new Case(
                        "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"" + longCaller + "\"}",
                        "caller_id"),
                new Case(
                        "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"x\",\"language_preference\":\"en_US\"}",
                        "language_preference"));
        for (Case c : cases) {
            HttpResponse<String> response = service.postJson(PATH, c.body(), "X-API-Key", KEY);
            assertProblem(response, 400, "INVALID_REQUEST");
            assertThat(fields(response)).as(c.body()).containsExactly(c.field());
        }
        HttpResponse<String> allKeys = service.postJson(
                PATH,
                "{\"dtmf_sequence\":\"0123456789*#ABCD\",\"voice_history\":{},\"caller_id\":\"x\",\"language_preference\":\"zh-Hant-TW\"}",
                "X-API-Key",
                KEY);
        assertThat(allKeys.statusCode()).as(allKeys.body()).isEqualTo(200);
    }

    @Test
    void rejects_malformed_json_and_non_objects() throws Exception {
        assertProblem(service.postJson(PATH, "{\"dtmf_sequence\":", "X-API-Key", KEY), 400, "MALFORMED_JSON");
        assertProblem(service.postJson(PATH, "[1,2]", "X-API-Key", KEY), 400, "MALFORMED_JSON");
        assertProblem(service.postJson(PATH, "", "X-API-Key", KEY), 400, "MALFORMED_JSON");
    }

    @Test
    void rejects_a_missing_or_wrong_api_key_without_calling_cxone() throws Exception {
        assertProblem(service.postJson(PATH, VALID), 401, "UNAUTHORIZED");
        assertProblem(service.postJson(PATH, VALID, "X-API-Key", "nope"), 401, "UNAUTHORIZED");
        assertThat(service.postJson(PATH, VALID, "X-API-Key", "test-key-2").statusCode())
                .isEqualTo(200);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(1);
    }

    @Test
    void rejects_other_media_types_and_oversized_bodies() throws Exception {
        assertProblem(service.post(PATH, "text/plain", VALID, "X-API-Key", KEY), 415, "UNSUPPORTED_MEDIA_TYPE");
        String huge = "{\"dtmf_sequence\":\"1\",\"voice_history\":{\"pad\":\"" + "x".repeat(70_000)
                + "\"},\"caller_id\":\"x\"}";
        assertProblem(service.postJson(PATH, huge, "X-API-Key", KEY), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void serves_problems_as_plain_json_to_callers_that_only_accept_json() {
        HttpResponse<String> studio = service.postJson(PATH, "{}", "X-API-Key", KEY, "Accept", "application/json");
        assertThat(studio.headers().firstValue("Content-Type")).hasValue("application/json");
        HttpResponse<String> both =
                service.postJson(PATH, "{}", "X-API-Key", KEY, "Accept", "application/problem+json, application/json");
        assertThat(both.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void never_echoes_request_headers_or_form_fields_back() {
        HttpResponse<String> response = service.post(
                PATH,
                "application/x-www-form-urlencoded",
                "dtmf_sequence=1&voice_history=%7B%7D&caller_id=x",
                "X-API-Key",
                KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet())
                .map(String::toLowerCase)
                .doesNotContain("x-api-key", "caller_id", "dtmf_sequence", "voice_history");
    }

    @Test
    void passes_on_cxone_rejection_detail_without_secrets() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse()
                                .withStatus(422)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"message\":\"channel not enabled for client_secret="
                                        + CxoneStub.CLIENT_SECRET + " Bearer tok-1\"}")));

        HttpResponse<String> response = service.postJson(PATH, VALID, "X-API-Key", KEY);

        JsonNode problem = assertProblem(response, 502, "CXONE_REJECTED");
        assertThat(problem.path("detail").asText()).contains("channel not enabled");
        assertThat(response.body()).doesNotContain(CxoneStub.CLIENT_SECRET).doesNotContain("tok-1");
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(1);
    }

    @Test
    void forbidden_is_answered_after_one_call() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(403)));

        assertProblem(service.postJson(PATH, VALID, "X-API-Key", KEY), 502, "CXONE_FORBIDDEN");
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(1);
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("title").asText()).isNotBlank();
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
