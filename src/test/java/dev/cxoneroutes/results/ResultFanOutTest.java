package dev.cxoneroutes.results;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.testing.CapturedLogs;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.StandardWebhooks;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The result fan-out end to end: a real service in live mode against a stub CXone, a real broker
 * and files, and a WireMock CTI system at two webhook URLs. Every request id is unique to its
 * test, so the tests share the service without sharing state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultFanOutTest {

    static final String PATH = "/api/v1/ivr/handoff";
    static final String KEY = "test-key-1";
    static final String DTMF = "80417395#";
    static final String VALID = "{\"dtmf_sequence\":\"" + DTMF
            + "\",\"voice_history\":{\"queue_name\":\"billing\"},\"caller_id\":\"+15551234567\"}";
    static final String BEARER = "bearer-7f3c9a1e-distinctive";
    static final byte[] CURRENT_KEY = "cti-current-signing-key-0123".getBytes(StandardCharsets.UTF_8);
    static final byte[] PREVIOUS_KEY = "cti-previous-signing-key-9876".getBytes(StandardCharsets.UTF_8);
    static final String CURRENT_SECRET = "whsec_" + Base64.getEncoder().encodeToString(CURRENT_KEY);
    static final String PREVIOUS_SECRET = "whsec_" + Base64.getEncoder().encodeToString(PREVIOUS_KEY);
    static final String URL_TOKEN = "url-token-5b2e8d";
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final ObjectMapper json = new ObjectMapper();
    CapturedLogs logs;
    CxoneStub cxone;
    CtiReceiver receiver;
    RunningService service;
    String urlA;
    String urlB;

    @BeforeAll
    void start() {
        logs = CapturedLogs.start();
        cxone = new CxoneStub();
        receiver = new CtiReceiver().start();
        urlA = receiver.url("/cti/a");
        urlB = receiver.url("/cti/b?token=" + URL_TOKEN);
        Map<String, String> settings = cxone.liveSettings();
        settings.put("cti.webhook-urls", urlA + "," + urlB);
        settings.put("cti.webhook-secret", CURRENT_SECRET + "," + PREVIOUS_SECRET);
        settings.put("cti.webhook-retry-first-delay-millis", "200");
        settings.put("cti.webhook-retry-max-delay-seconds", "1");
        settings.put("cti.webhook-retry-budget-seconds", "4");
        settings.put("cti.webhook-timeout-seconds", "2");
        service = RunningService.start(settings);
    }

    @AfterAll
    void stop() {
        service.close();
        receiver.close();
        cxone.close();
        logs.close();
    }

    @BeforeEach
    void resetCxone() {
        cxone.reset();
        cxone.stubToken(BEARER, 3600);
    }

    @Test
    void writes_one_whole_audit_line_per_request_under_200_concurrent_requests() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(200);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String body = i % 20 == 0 ? "{\"dtmf_sequence\":\"x\"}" : VALID;
                String requestId = "conc-" + i;
                answers.add(CompletableFuture.supplyAsync(
                        () -> service.postJson(PATH, body, "X-API-Key", KEY, "X-Request-ID", requestId)
                                .statusCode(),
                        callers));
            }
            assertThat(answers.stream().map(CompletableFuture::join).toList())
                    .hasSize(200)
                    .containsOnly(200, 400)
                    .filteredOn(status -> status == 400)
                    .hasSize(10);
        } finally {
            callers.shutdownNow();
        }

        await().atMost(PATIENCE).until(() -> auditEventsWithPrefix("conc-").size() >= 200);
        // Every line of the file is one whole JSON object: nothing torn, nothing interleaved.
        for (String line : DataFiles.auditLines(service.dataDirectory())) {
            assertThat(json.readTree(line).isObject()).as(line).isTrue();
        }
        List<JsonNode> events = auditEventsWithPrefix("conc-");
        assertThat(events).hasSize(200);
        assertThat(events.stream().map(e -> e.path("request_id").asText()).distinct())
                .hasSize(200);
        assertThat(events.stream().filter(e -> e.path("success").asBoolean())).hasSize(190);

        // ...and every receiver URL gets each event exactly once, each delivery with its own id.
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(deliveriesWithPrefix("conc-", "/cti/a")).hasSize(200);
            assertThat(deliveriesWithPrefix("conc-", "/cti/b")).hasSize(200);
        });
        Set<String> webhookIds = new HashSet<>();
        deliveriesWithPrefix("conc-", "/cti/").forEach(r -> webhookIds.add(r.getHeader("webhook-id")));
        assertThat(webhookIds).hasSize(400);
    }

    @Test
    void publishes_one_event_per_request_whatever_its_outcome() throws Exception {
        stubCxoneFor("kind-unavailable", aResponse().withStatus(503));
        stubCxoneFor("kind-rejected", aResponse().withStatus(400).withBody("{\"message\":\"queue closed\"}"));
        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "kind-ok")
                        .statusCode())
                .isEqualTo(200);
        assertThat(service.postJson(PATH, "{\"dtmf", "X-API-Key", KEY, "X-Request-ID", "kind-malformed")
                        .statusCode())
                .isEqualTo(400);
        assertThat(service.postJson(
                                PATH, "{\"dtmf_sequence\":\"99x\"}", "X-API-Key", KEY, "X-Request-ID", "kind-invalid")
                        .statusCode())
                .isEqualTo(400);
        assertThat(service.postJson(PATH, VALID, "X-Request-ID", "kind-unauthorized")
                        .statusCode())
                .isEqualTo(401);
        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "kind-unavailable")
                        .statusCode())
                .isEqualTo(503);
        assertThat(service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "kind-rejected")
                        .statusCode())
                .isEqualTo(502);

        await().atMost(PATIENCE).until(() -> auditEventsWithPrefix("kind-").size() >= 6);
        assertThat(auditEventsWithPrefix("kind-")).hasSize(6);
        assertEvent("kind-ok", true, 200, null, 1);
        assertThat(auditEvent("kind-ok").path("guest_id").asText()).isEqualTo("guest-1");
        assertEvent("kind-malformed", false, 400, "MALFORMED_JSON", 0);
        assertEvent("kind-invalid", false, 400, "INVALID_REQUEST", 0);
        assertEvent("kind-unauthorized", false, 401, "UNAUTHORIZED", 0);
        assertEvent("kind-unavailable", false, 503, "CXONE_UNAVAILABLE", 4);
        assertEvent("kind-rejected", false, 502, "CXONE_REJECTED", 1);
        assertThat(auditEvent("kind-rejected").path("error_message").asText()).contains("queue closed");
        for (JsonNode event : auditEventsWithPrefix("kind-")) {
            assertThat(event.path("event_type").asText()).isEqualTo("handoff_attempt");
            assertThat(event.path("source").asText()).isEqualTo("http");
        }

        // The webhook body is the audit line, byte for byte.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deliveriesWithPrefix("kind-", "/cti/a"))
                .hasSize(6));
        for (LoggedRequest delivery : deliveriesWithPrefix("kind-", "/cti/a")) {
            String requestId = CtiReceiver.event(delivery).path("request_id").asText();
            assertThat(delivery.getBodyAsString()).isEqualTo(auditLine(requestId));
        }
    }

    @Test
    void signs_each_webhook_per_standard_webhooks_with_both_keys_during_a_rotation() throws Exception {
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "sig-1");

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(receiver.eventsFor("sig-1")).hasSize(2));
        LoggedRequest atA = receiver.eventsFor("sig-1", "/cti/a").get(0);
        LoggedRequest atB = receiver.eventsFor("sig-1", "/cti/b").get(0);
        for (LoggedRequest delivery : List.of(atA, atB)) {
            assertThat(delivery.getHeader("Content-Type")).isEqualTo("application/json");
            assertThat(delivery.getHeader("webhook-id")).startsWith("msg_");
            long timestamp = Long.parseLong(delivery.getHeader("webhook-timestamp"));
            assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
            assertSignedByBothKeys(delivery);
        }
        assertThat(atA.getHeader("webhook-id")).isNotEqualTo(atB.getHeader("webhook-id"));
        assertThat(atB.getUrl()).endsWith("?token=" + URL_TOKEN);
    }

    /**
     * The seam between JmsWiring (webhookSpoolInUse) and results-webhook-enqueue: with the embedded
     * broker each delivery goes through the webhook spool, whose sender alone puts it on the queue
     * under its webhook id as Artemis' duplicate id.
     */
    @Test
    void with_the_embedded_broker_each_delivery_reaches_the_queue_through_the_webhook_spool() throws Exception {
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "spooled-1");

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(receiver.eventsFor("spooled-1")).hasSize(2));
        for (LoggedRequest delivery : receiver.eventsFor("spooled-1")) {
            assertThat(service.broker().sawDuplicateId("cti.webhook.outbox", delivery.getHeader("webhook-id")))
                    .as("queued by the spool under " + delivery.getHeader("webhook-id"))
                    .isTrue();
        }
    }

    @Test
    void retries_a_receiver_answering_500_three_times_under_the_same_webhook_id() throws Exception {
        String scenario = "retry-1";
        String[] states = {STARTED, "failed-once", "failed-twice", "failed-thrice"};
        for (int i = 0; i < states.length; i++) {
            receiver.server()
                    .stubFor(post(urlPathEqualTo("/cti/a"))
                            .withRequestBody(matchingJsonPath("$.request_id", equalTo(scenario)))
                            .inScenario(scenario)
                            .whenScenarioStateIs(states[i])
                            .willReturn(aResponse().withStatus(i < 3 ? 500 : 200))
                            .willSetStateTo(i < 3 ? states[i + 1] : "delivered"));
        }

        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", scenario);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(receiver.eventsFor(scenario, "/cti/a"))
                .hasSize(4));
        List<LoggedRequest> attempts = receiver.eventsFor(scenario, "/cti/a");
        assertThat(attempts)
                .extracting(r -> r.getHeader("webhook-id"))
                .containsOnly(attempts.get(0).getHeader("webhook-id"));
        assertThat(attempts).extracting(LoggedRequest::getBodyAsString).containsOnly(auditLine(scenario));
        // Retries wait (Artemis scheduled delivery), at least half the first delay of 200 ms each.
        for (int i = 1; i < attempts.size(); i++) {
            long gap = attempts.get(i).getLoggedDate().getTime()
                    - attempts.get(i - 1).getLoggedDate().getTime();
            assertThat(gap).as("wait before retry " + i).isGreaterThanOrEqualTo(95);
        }
        long previous = 0;
        for (LoggedRequest attempt : attempts) {
            long timestamp = Long.parseLong(attempt.getHeader("webhook-timestamp"));
            assertThat(timestamp).isGreaterThanOrEqualTo(previous);
            previous = timestamp;
            assertSignedByBothKeys(attempt);
        }
        assertThat(receiver.eventsFor(scenario, "/cti/b")).hasSize(1);
        assertThat(deadLettersFor(scenario)).isEmpty();
    }

    @Test
    void dead_letters_once_the_retry_budget_is_spent_and_replays_under_the_same_webhook_id() throws Exception {
        String requestId = "dead-1";
        receiver.server()
                .stubFor(post(urlPathEqualTo("/cti/a"))
                        .atPriority(5)
                        .withRequestBody(matchingJsonPath("$.request_id", equalTo(requestId)))
                        .willReturn(aResponse().withStatus(503)));

        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", requestId);

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(deadLettersFor(requestId)).hasSize(1));
        JsonNode deadLetter = json.readTree(deadLettersFor(requestId).get(0));
        List<LoggedRequest> attempts = receiver.eventsFor(requestId, "/cti/a");
        assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
        assertThat(deadLetter.path("url").asText()).isEqualTo(urlA);
        assertThat(deadLetter.path("webhook_id").asText())
                .isEqualTo(attempts.get(0).getHeader("webhook-id"));
        assertThat(deadLetter.path("last_error").asText()).isEqualTo("HTTP 503");
        assertThat(deadLetter.path("attempts").asInt()).isEqualTo(attempts.size());
        assertThat(deadLetter.path("event").toString()).isEqualTo(auditLine(requestId));
        // The other receiver was unaffected.
        assertThat(receiver.eventsFor(requestId, "/cti/b")).hasSize(1);

        // The receiver is fixed; an operator replays the dead letter (a stray line is skipped).
        receiver.server()
                .stubFor(post(urlPathEqualTo("/cti/a"))
                        .atPriority(1)
                        .withRequestBody(matchingJsonPath("$.request_id", equalTo(requestId)))
                        .willReturn(aResponse().withStatus(204)));
        Path replay = service.dataDirectory().resolve("dead-letter/replay");
        Files.createDirectories(replay);
        Path written = Files.writeString(
                replay.resolve("fix-1.jsonl.tmp"),
                "not a dead letter\n\n" + deadLettersFor(requestId).get(0) + "\n");
        Files.move(written, replay.resolve("fix-1.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(receiver.eventsFor(requestId, "/cti/a"))
                .hasSize(attempts.size() + 1));
        LoggedRequest replayed = receiver.eventsFor(requestId, "/cti/a").get(attempts.size());
        assertThat(replayed.getHeader("webhook-id"))
                .isEqualTo(deadLetter.path("webhook_id").asText());
        assertThat(replayed.getBodyAsString()).isEqualTo(auditLine(requestId));
        assertSignedByBothKeys(replayed);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(replay.resolve("fix-1.jsonl")).doesNotExist();
            assertThat(replay.resolve(".done")).isDirectoryContaining("glob:**fix-1.jsonl");
        });
        assertThat(deadLettersFor(requestId)).hasSize(1);
    }

    @Test
    void a_receiver_that_hangs_delays_no_answer_and_no_other_receiver() throws Exception {
        receiver.server()
                .stubFor(post(urlPathEqualTo("/cti/a"))
                        .atPriority(5)
                        .withRequestBody(matchingJsonPath("$.request_id", equalTo("hang-1")))
                        .willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "hang-warm-up"); // token and connections ready

        long started = System.nanoTime();
        HttpResponse<String> answer = service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "hang-1");

        assertThat(answer.statusCode()).isEqualTo(200);
        // The answer went out while the POST to /cti/a still hung (it is cut off after 2 s).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(receiver.eventsFor("hang-1", "/cti/b"))
                .hasSize(1));
        // Cut off at the timeout, retried, and finally dead-lettered: never waited for forever.
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(deadLettersFor("hang-1")).hasSize(1));
        assertThat(json.readTree(deadLettersFor("hang-1").get(0))
                        .path("last_error")
                        .asText())
                .startsWith("no answer");
    }

    @Test
    void never_writes_raw_dtmf_or_any_secret_to_logs_events_webhooks_or_files() throws Exception {
        stubCxoneFor(
                "priv-echo",
                aResponse()
                        .withStatus(400)
                        .withBody("{\"message\":\"invalid dtmf_sequence " + DTMF + " (Authorization: Bearer " + BEARER
                                + ")\"}"));
        receiver.server()
                .stubFor(post(urlPathEqualTo("/cti/a"))
                        .atPriority(5)
                        .withRequestBody(matchingJsonPath("$.request_id", equalTo("priv-dead")))
                        .willReturn(aResponse().withStatus(500)));
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "priv-ok");
        service.postJson(PATH, VALID.replace(DTMF, DTMF + "X"), "X-API-Key", KEY, "X-Request-ID", "priv-invalid");
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "priv-echo");
        service.postJson(PATH, VALID, "X-API-Key", "wrong-" + KEY, "X-Request-ID", "priv-wrong-key");
        service.postJson(PATH, VALID, "X-API-Key", KEY, "X-Request-ID", "priv-dead");

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(auditEventsWithPrefix("priv-")).hasSize(5);
            assertThat(deadLettersFor("priv-dead")).hasSize(1);
            assertThat(receiver.eventsFor("priv-echo")).hasSize(2);
        });
        assertThat(auditEvent("priv-echo").path("error_message").asText()).contains("[redacted]");

        List<String> secrets = List.of(
                CxoneStub.CLIENT_SECRET,
                KEY,
                "test-key-2",
                BEARER,
                CURRENT_SECRET,
                PREVIOUS_SECRET,
                new String(CURRENT_KEY, StandardCharsets.UTF_8),
                new String(PREVIOUS_KEY, StandardCharsets.UTF_8));
        String logText = logs.text();
        assertThat(logText).contains("request_id=priv-echo"); // the capture works
        assertThat(logText).doesNotContain(DTMF).doesNotContain(URL_TOKEN);
        secrets.forEach(secret -> assertThat(logText).as("the log").doesNotContain(secret));
        String files = DataFiles.allWrittenText(service.dataDirectory());
        assertThat(files).doesNotContain(DTMF);
        secrets.forEach(
                secret -> assertThat(files).as("audit and dead-letter files").doesNotContain(secret));
        for (LoggedRequest webhook : receiver.server().findAll(anyRequestedFor(anyUrl()))) {
            assertThat(webhook.getBodyAsString()).doesNotContain(DTMF);
            secrets.forEach(secret -> assertThat(webhook.getBodyAsString()).doesNotContain(secret));
        }
    }

    private void assertEvent(String requestId, boolean success, int status, String errorCode, int attempts)
            throws Exception {
        JsonNode event = auditEvent(requestId);
        assertThat(event.path("success").asBoolean()).as(requestId).isEqualTo(success);
        assertThat(event.path("status_code").asInt()).as(requestId).isEqualTo(status);
        assertThat(
                        event.path("error_code").isNull()
                                ? null
                                : event.path("error_code").asText())
                .as(requestId)
                .isEqualTo(errorCode);
        assertThat(event.path("attempts").asInt()).as(requestId).isEqualTo(attempts);
    }

    /** Verifies the Standard Webhooks signature with our own HMAC, independent of WebhookSigner. */
    private static void assertSignedByBothKeys(LoggedRequest delivery) {
        assertThat(StandardWebhooks.signatures(delivery))
                .isEqualTo(StandardWebhooks.expectedSignatures(delivery, CURRENT_KEY, PREVIOUS_KEY));
    }

    private void stubCxoneFor(String requestId, ResponseDefinitionBuilder answer) {
        cxone.server()
                .stubFor(post(urlPathEqualTo(CxoneStub.GUEST_PATH))
                        .atPriority(1)
                        .withHeader("X-CXone-Request-ID", equalTo(requestId))
                        .willReturn(answer));
    }

    private List<JsonNode> auditEventsWithPrefix(String prefix) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : DataFiles.auditLines(service.dataDirectory())) {
            JsonNode event = json.readTree(line);
            if (event.path("request_id").asText("").startsWith(prefix)) {
                events.add(event);
            }
        }
        return events;
    }

    private String auditLine(String requestId) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : DataFiles.auditLines(service.dataDirectory())) {
            if (requestId.equals(json.readTree(line).path("request_id").asText())) {
                lines.add(line);
            }
        }
        assertThat(lines).as("audit lines of " + requestId).hasSize(1);
        return lines.get(0);
    }

    private JsonNode auditEvent(String requestId) throws Exception {
        return json.readTree(auditLine(requestId));
    }

    private List<LoggedRequest> deliveriesWithPrefix(String prefix, String path) {
        return receiver.server().getAllServeEvents().stream()
                .map(event -> event.getRequest())
                .filter(request -> request.getUrl().startsWith(path))
                .filter(request ->
                        CtiReceiver.event(request).path("request_id").asText("").startsWith(prefix))
                .toList();
    }

    private List<String> deadLettersFor(String requestId) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : DataFiles.deadLetterLines(service.dataDirectory())) {
            if (requestId.equals(
                    json.readTree(line).path("event").path("request_id").asText())) {
                lines.add(line);
            }
        }
        return lines;
    }
}
