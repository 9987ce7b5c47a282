package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the service obtains CXone tokens: grants, discovery, caching, and a refusing token endpoint. Each test starts cold. */
class TokenAcquisitionTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String BODY = "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"x\"}";

    final ObjectMapper json = new ObjectMapper();
    CxoneStub cxone;
    RunningService service;

    @BeforeEach
    void startStub() {
        cxone = new CxoneStub();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        cxone.close();
    }

    @Test
    void two_hundred_concurrent_requests_at_a_cold_start_fetch_one_token() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withFixedDelay(300)
                                .withBody("{\"access_token\":\"tok-1\",\"expires_in\":3600}")));
        service = RunningService.start(cxone.liveSettings());
        ExecutorService callers = Executors.newFixedThreadPool(200);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> service.postJson(PATH, BODY, "X-API-Key", "test-key-1")
                                .statusCode(),
                        callers));
            }
            assertThat(answers.stream().map(CompletableFuture::join))
                    .hasSize(200)
                    .containsOnly(200);
        } finally {
            callers.shutdownNow();
        }
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH))))
                .isEqualTo(1);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withHeader("Authorization", equalTo("Bearer tok-1"))))
                .isEqualTo(200);
    }

    @Test
    void client_credentials_grant_sends_id_secret_and_scopes_in_the_form() {
        service = RunningService.start(cxone.liveSettings());

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(200);

        Map<String, String> form = form(onlyTokenRequest());
        assertThat(form)
                .containsEntry("grant_type", "client_credentials")
                .containsEntry("client_id", "test-client")
                .containsEntry("client_secret", CxoneStub.CLIENT_SECRET)
                .containsEntry("scope", CxoneSettings.DEFAULT_SCOPES);
    }

    @Test
    void password_grant_sends_basic_client_auth_and_the_access_key() {
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cxone.auth-grant", "password");
        settings.put("cxone.access-key-id", "AK-ID");
        settings.put("cxone.access-key-secret", "AK-SECRET");
        service = RunningService.start(settings);

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(200);

        LoggedRequest token = onlyTokenRequest();
        String basic = Base64.getEncoder()
                .encodeToString(("test-client:" + CxoneStub.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(token.getHeader("Authorization")).isEqualTo("Basic " + basic);
        assertThat(token.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(token))
                .containsOnlyKeys("grant_type", "username", "password", "scope")
                .containsEntry("grant_type", "password")
                .containsEntry("username", "AK-ID")
                .containsEntry("password", "AK-SECRET");
    }

    @Test
    void discovers_the_token_endpoint_from_the_issuer() {
        cxone.server()
                .stubFor(get(urlPathEqualTo("/issuer/.well-known/openid-configuration"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withBody("{\"issuer\":\"x\",\"token_endpoint\":\"" + cxone.baseUrl()
                                        + "/discovered/token\"}")));
        cxone.server()
                .stubFor(post(urlPathEqualTo("/discovered/token"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withBody("{\"access_token\":\"tok-d\",\"expires_in\":3600}")));
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cxone.issuer", cxone.baseUrl() + "/issuer");
        service = RunningService.start(settings);

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(200);
        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(200);

        assertThat(cxone.count(getRequestedFor(urlPathEqualTo("/issuer/.well-known/openid-configuration"))))
                .isEqualTo(1);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo("/discovered/token"))))
                .isEqualTo(1);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH))))
                .isZero();
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withHeader("Authorization", equalTo("Bearer tok-d"))))
                .isEqualTo(2);
    }

    @Test
    void refused_credentials_answer_cxone_auth_failed_without_retrying_or_leaking_the_secret() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .willReturn(aResponse()
                                .withStatus(401)
                                .withBody("{\"error\":\"invalid_client\",\"client_secret\":\"" + CxoneStub.CLIENT_SECRET
                                        + "\"}")));
        service = RunningService.start(cxone.liveSettings());

        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("CXONE_AUTH_FAILED");
        assertThat(response.body()).doesNotContain(CxoneStub.CLIENT_SECRET);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH))))
                .isEqualTo(1);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isZero();
    }

    @Test
    void retries_a_token_endpoint_5xx_like_any_cxone_call() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .inScenario("token")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(502))
                        .willSetStateTo("up"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.TOKEN_PATH))
                        .inScenario("token")
                        .whenScenarioStateIs("up")
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withBody("{\"access_token\":\"tok-1\",\"expires_in\":3600}")));
        service = RunningService.start(cxone.liveSettings());

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(200);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH))))
                .isEqualTo(2);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH))))
                .isEqualTo(1);
    }

    private LoggedRequest onlyTokenRequest() {
        List<LoggedRequest> requests = cxone.server().findAll(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return form;
    }
}
