package dev.cxoneroutes.cxone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the service treats a failing CXone: what it retries, how long it waits, what the caller gets. */
class CxoneRetryTest extends LiveServiceTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String BODY = "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"x\"}";
    static final String GUEST_OK =
            "{\"id\":\"g\",\"url\":\"https://chat.example/g\",\"state\":\"new\",\"channel\":\"webMessaging\"}";

    final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final LiveService live = new LiveService(settings -> settings.put("cxone.max-backoff-seconds", "10"));

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void retries_429_honouring_retry_after_seconds_with_the_same_request_id() throws Exception {
        failOnceThenSucceed(aResponse().withStatus(429).withHeader("Retry-After", "1"));

        long started = System.nanoTime();
        HttpResponse<String> response =
                service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "X-Request-ID", "ivr-1");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        List<LoggedRequest> attempts = guestCalls();
        assertThat(attempts).hasSize(2);
        assertThat(attempts)
                .allSatisfy(r -> assertThat(r.getHeader("X-CXone-Request-ID")).isEqualTo("ivr-1"));
    }

    @Test
    void retries_429_honouring_retry_after_as_an_http_date() {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        failOnceThenSucceed(aResponse().withStatus(429).withHeader("Retry-After", inTwoSeconds));

        long started = System.nanoTime();
        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).isEqualTo(200);
        // The date has one-second resolution, so the wait is at least one second.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(guestCalls()).hasSize(2);
    }

    @Test
    void answers_503_with_retry_after_once_every_attempt_failed() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(503)));

        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("CXONE_UNAVAILABLE");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(guestCalls()).hasSize(4);
    }

    @Test
    void retries_dropped_connections() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("reset")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                        .willSetStateTo("recovered"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("reset")
                        .whenScenarioStateIs("recovered")
                        .willReturn(aResponse().withStatus(201).withBody(GUEST_OK)));

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1").statusCode())
                .isEqualTo(200);
        assertThat(guestCalls()).hasSize(2);
    }

    @Test
    void does_not_retry_other_client_errors() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(409).withBody("{\"message\":\"duplicate\"}")));

        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("CXONE_REJECTED");
        assertThat(guestCalls()).hasSize(1);
    }

    @Test
    void refetches_the_token_once_when_cxone_answers_401() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("stale")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(401))
                        .willSetStateTo("fresh"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("stale")
                        .whenScenarioStateIs("fresh")
                        .withHeader("Authorization", equalTo("Bearer tok-2"))
                        .willReturn(aResponse().withStatus(201).withBody(GUEST_OK)));
        cxone.stubToken("tok-2", 3600);

        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.TOKEN_PATH))))
                .isEqualTo(1);
        assertThat(guestCalls()).hasSize(2);
    }

    @Test
    void a_second_401_is_final() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .willReturn(aResponse().withStatus(401)));

        HttpResponse<String> response = service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json.readTree(response.body()).path("code").asText()).isEqualTo("CXONE_AUTH_FAILED");
        assertThat(guestCalls()).hasSize(2);
    }

    @Test
    void requests_waiting_out_a_retry_after_do_not_hold_up_fresh_ones() throws Exception {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withHeader("X-CXone-Request-ID", matching("waiting-.*"))
                        .inScenario("waiting")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .withHeader("X-CXone-Request-ID", matching("waiting-.*"))
                        .inScenario("waiting")
                        .whenScenarioStateIs("released")
                        .willReturn(aResponse().withStatus(201).withBody(GUEST_OK)));
        ExecutorService callers = Executors.newFixedThreadPool(100);
        AtomicInteger waitingAnswered = new AtomicInteger();
        try {
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String id = "waiting-" + i;
                waiting.add(CompletableFuture.supplyAsync(
                        () -> {
                            int status = service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "X-Request-ID", id)
                                    .statusCode();
                            waitingAnswered.incrementAndGet();
                            return status;
                        },
                        callers));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> guestCalls().size() >= 100);

            HttpResponse<String> fresh =
                    service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "X-Request-ID", "fresh");

            assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
            assertThat(waitingAnswered)
                    .as("the fresh request was answered before any waiting one")
                    .hasValue(0);
            cxone.server().setScenarioState("waiting", "released");
            assertThat(waiting.stream().map(CompletableFuture::join)).containsOnly(200);
        } finally {
            callers.shutdownNow();
        }
    }

    private void failOnceThenSucceed(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("once")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(failure)
                        .willSetStateTo("recovered"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("once")
                        .whenScenarioStateIs("recovered")
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withHeader("Content-Type", "application/json")
                                .withBody(GUEST_OK)));
    }

    private List<LoggedRequest> guestCalls() {
        return cxone.server().findAll(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)));
    }
}
