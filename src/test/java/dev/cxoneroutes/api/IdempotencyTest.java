package dev.cxoneroutes.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.LiveService;
import dev.cxoneroutes.testing.LiveServiceTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Studio REST action retries on its own: a repeated Idempotency-Key must never make a second guest session. */
class IdempotencyTest extends LiveServiceTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String BODY = "{\"dtmf_sequence\":\"1\",\"voice_history\":{},\"caller_id\":\"x\"}";

    @RegisterExtension
    static final LiveService live = new LiveService();

    @Override
    protected LiveService live() {
        return live;
    }

    @Test
    void a_repeat_gets_the_first_answer_again_without_a_second_guest_session() {
        HttpResponse<String> first =
                service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "call-1");
        HttpResponse<String> repeat =
                service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "call-1");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(guestCalls()).isEqualTo(1);
    }

    @Test
    void different_keys_are_different_requests() {
        service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "call-a");
        service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "call-b");
        service.postJson(PATH, BODY, "X-API-Key", "test-key-1");
        service.postJson(PATH, BODY, "X-API-Key", "test-key-1");

        assertThat(guestCalls()).isEqualTo(4);
    }

    @Test
    void duplicates_sent_at_the_same_moment_create_one_guest_session() throws Exception {
        cxone.server()
                .stubFor(
                        post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                                .willReturn(
                                        aResponse()
                                                .withStatus(201)
                                                .withFixedDelay(500)
                                                .withBody(
                                                        "{\"id\":\"g-once\",\"url\":\"https://chat.example/once\",\"state\":\"new\",\"channel\":\"webMessaging\"}")));
        ExecutorService callers = Executors.newFixedThreadPool(10);
        CountDownLatch ready = new CountDownLatch(10);
        try {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> {
                            ready.countDown();
                            awaitQuietly(ready);
                            return service.postJson(
                                    PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "same-moment");
                        },
                        callers));
            }
            List<HttpResponse<String>> responses =
                    answers.stream().map(CompletableFuture::join).toList();

            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(responses.stream().map(HttpResponse::body).distinct()).hasSize(1);
            assertThat(responses.stream().filter(r -> r.headers()
                            .firstValue("Idempotent-Replayed")
                            .isPresent()))
                    .hasSize(9);
            assertThat(guestCalls()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void a_failed_first_attempt_is_not_replayed() {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("flaky")
                        .whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(422).withBody("{\"message\":\"try later\"}"))
                        .willSetStateTo("ok"));
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .inScenario("flaky")
                        .whenScenarioStateIs("ok")
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withBody("{\"id\":\"g2\",\"url\":\"u\",\"state\":\"new\"}")));

        assertThat(service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "k-fail")
                        .statusCode())
                .isEqualTo(502);
        HttpResponse<String> second =
                service.postJson(PATH, BODY, "X-API-Key", "test-key-1", "Idempotency-Key", "k-fail");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(guestCalls()).isEqualTo(2);
    }

    private int guestCalls() {
        return cxone.count(postRequestedFor(urlPathEqualTo(CxoneStub.GUEST_PATH)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
