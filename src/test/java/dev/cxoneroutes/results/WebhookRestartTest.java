package dev.cxoneroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing answered is lost when the service stops: every answer's event was recorded before the
 * answer left, and webhook deliveries wait on the broker's journal until the next start.
 */
class WebhookRestartTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String VALID = "{\"dtmf_sequence\":\"5\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";

    final ObjectMapper json = new ObjectMapper();
    final CxoneStub cxone = new CxoneStub();
    final CtiReceiver receiver = new CtiReceiver();
    RunningService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        receiver.close();
        cxone.close();
    }

    @Test
    void every_request_answered_before_a_stop_is_audited_once_and_reaches_a_receiver_that_was_down() throws Exception {
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cti.webhook-urls", receiver.url("/cti"));
        settings.put("cti.webhook-secret", "restart-test-secret");
        settings.put("cti.webhook-retry-first-delay-millis", "300");
        settings.put("cti.webhook-retry-max-delay-seconds", "1");
        settings.put("cti.webhook-retry-budget-seconds", "300");
        settings.put("camel.main.shutdown-timeout", "10");
        settings.put(
                "data.dir", Files.createTempDirectory("cxone-routes-restart").toString());
        settings.put("jms.embedded-port", String.valueOf(RunningService.freePort()));
        service = RunningService.start(settings);

        // The receiver is down; the service is stopped while requests are still arriving.
        ExecutorService callers = Executors.newFixedThreadPool(50);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                String requestId = "restart-" + i;
                answers.add(CompletableFuture.supplyAsync(
                        () -> service.postJson(PATH, VALID, "X-API-Key", "test-key-1", "X-Request-ID", requestId),
                        callers));
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            answers.stream().filter(CompletableFuture::isDone).count() >= 20);
            service.close();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .exceptionally(failure -> null)
                    .join();
        } finally {
            callers.shutdownNow();
        }
        // Requests refused because the service was stopping never reached the handoff: no event.
        Set<String> answered = answers.stream()
                .filter(answer -> !answer.isCompletedExceptionally())
                .map(CompletableFuture::join)
                .filter(response -> response.statusCode() == 200)
                .map(response -> response.headers().firstValue("X-Request-ID").orElseThrow())
                .collect(Collectors.toSet());
        assertThat(answered).hasSizeGreaterThanOrEqualTo(20);
        assertThat(auditedRequestIds()).containsExactlyInAnyOrderElementsOf(answered);

        receiver.start();
        service = RunningService.start(settings);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(receiver.server().getAllServeEvents()).hasSize(answered.size()));
        List<String> delivered = receiver.server().getAllServeEvents().stream()
                .map(event ->
                        CtiReceiver.event(event.getRequest()).path("request_id").asText())
                .toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(answered);
        for (String requestId : answered) {
            LoggedRequest delivery = receiver.eventsFor(requestId).get(0);
            assertThat(delivery.getBodyAsString()).isEqualTo(auditLine(requestId));
        }
        assertThat(auditedRequestIds()).as("the restart adds no audit line").hasSize(answered.size());
        assertThat(DataFiles.deadLetterLines(service.dataDirectory())).isEmpty();
    }

    private List<String> auditedRequestIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : DataFiles.auditLines(service.dataDirectory())) {
            ids.add(json.readTree(line).path("request_id").asText());
        }
        return ids;
    }

    private String auditLine(String requestId) {
        return DataFiles.auditLines(service.dataDirectory()).stream()
                .filter(line -> line.contains("\"request_id\":\"" + requestId + "\""))
                .findFirst()
                .orElseThrow();
    }
}
