package dev.cxoneroutes.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cxoneroutes.testing.CtiReceiver;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.DataFiles;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import dev.cxoneroutes.testing.StandardWebhooks;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every entry point through the real routes of {@code routes/*.yaml}, checked only by what leaves
 * the service: the answer (HTTP), the reply (JMS) or the result lines and the moved file (drop
 * folder); then the audit line, the signed webhook at a CTI receiver, the request counter and the
 * duration histogram. Nothing here builds an exchange by hand: a seam between two routes (one sets
 * a property, the next reads it) is only proven when a real request crosses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntryPointsEndToEndTest {

    static final String API_KEY = "e2e-key";
    static final byte[] SIGNING_KEY = "e2e-signing-key-0123456789".getBytes(StandardCharsets.UTF_8);
    static final String HANDOFF =
            """
            {"dtmf_sequence":"12#","voice_history":{"queue_name":"billing","duration":42},"caller_id":"+15551234567"}""";
    static final String BRIDGE =
            """
            {"targets":[{"type":"phone","value":"+15557654321"}],"direction":"outbound","bridgeMatrix":[{"source":0,"target":1}]}""";
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final ObjectMapper json = new ObjectMapper();
    CxoneStub cxone;
    CtiReceiver receiver;
    RunningService service;
    ActiveMQConnectionFactory connections;
    JMSContext jms;

    @BeforeAll
    void start() {
        cxone = new CxoneStub();
        receiver = new CtiReceiver().start();
        Map<String, String> settings = cxone.liveSettings();
        settings.put("api.keys", API_KEY);
        settings.put("cti.webhook-urls", receiver.url("/cti"));
        settings.put("cti.webhook-secret", "whsec_" + Base64.getEncoder().encodeToString(SIGNING_KEY));
        service = RunningService.start(settings);
        connections = new ActiveMQConnectionFactory(service.jmsUrl());
        jms = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @AfterAll
    void stop() {
        jms.close();
        connections.close();
        service.close();
        receiver.close();
        cxone.close();
    }

    @BeforeEach
    void resetStubs() {
        cxone.reset();
    }

    @Test
    void http_handoff_as_json() throws Exception {
        Observed seen = observe(
                "handoff",
                "http",
                () -> http(service.postJson(
                        "/api/v1/ivr/handoff",
                        HANDOFF,
                        "X-API-Key",
                        API_KEY,
                        "X-Request-ID",
                        "e2e-http-handoff-json")));

        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.answer().path("guest_id").asText()).isEqualTo("guest-1");
        assertRecorded("e2e-http-handoff-json", "handoff_attempt", "http", seen);
    }

    @Test
    void http_handoff_as_a_form_the_way_studio_posts_it() throws Exception {
        String form = "dtmf_sequence=12%23&caller_id=%2B15551234567"
                + "&voice_history=%7B%22queue_name%22%3A%22billing%22%7D";
        Observed seen = observe(
                "handoff",
                "http",
                () -> http(service.post(
                        "/api/v1/ivr/handoff",
                        "application/x-www-form-urlencoded",
                        form,
                        "Accept",
                        "application/json",
                        "X-API-Key",
                        API_KEY,
                        "X-Request-ID",
                        "e2e-http-handoff-form")));

        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.answer().path("session_url").asText()).startsWith("https://");
        assertRecorded("e2e-http-handoff-form", "handoff_attempt", "http", seen);
    }

    @Test
    void http_bridge() throws Exception {
        Observed seen = observe(
                "bridge",
                "http",
                () -> http(service.postJson(
                        "/api/v1/calls/call-e2e-http/bridge",
                        BRIDGE,
                        "X-API-Key",
                        API_KEY,
                        "X-Request-ID",
                        "e2e-http-bridge")));

        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.answer().path("call_id").asText()).isEqualTo("call-e2e-http");
        assertRecorded("e2e-http-bridge", "bridge_attempt", "http", seen);
    }

    @Test
    void http_request_refused_by_validation_is_recorded_as_an_error() throws Exception {
        Observed seen = observe(
                "bridge",
                "http",
                () -> http(service.postJson(
                        "/api/v1/calls/call-e2e-bad/bridge",
                        "{\"targets\":[],\"direction\":\"sideways\"}",
                        "X-API-Key",
                        API_KEY,
                        "X-Request-ID",
                        "e2e-http-bridge-invalid")));

        assertThat(seen.status()).isEqualTo(400);
        assertThat(seen.answer().path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertRecorded("e2e-http-bridge-invalid", "bridge_attempt", "http", seen);
        // The call id from the path reaches the event though the body never became a command.
        assertThat(auditEventsOf("e2e-http-bridge-invalid")
                        .get(0)
                        .path("call_id")
                        .asText())
                .isEqualTo("call-e2e-bad");
    }

    @Test
    void jms_handoff_is_recorded_before_its_reply() throws Exception {
        Observed seen = observe("handoff", "jms", () -> requestReply("cxone.handoff", HANDOFF, "e2e-jms-handoff"));

        assertThat(seen.answer().path("guest_id").asText()).isEqualTo("guest-1");
        assertRecorded("e2e-jms-handoff", "handoff_attempt", "jms", seen);
    }

    @Test
    void jms_bridge_is_recorded_before_its_reply() throws Exception {
        String command = BRIDGE.replace("{\"targets\"", "{\"callId\":\"call-e2e-jms\",\"targets\"");
        Observed seen = observe("bridge", "jms", () -> requestReply("cxone.bridge", command, "e2e-jms-bridge"));

        assertThat(seen.answer().path("call_id").asText()).isEqualTo("call-e2e-jms");
        assertRecorded("e2e-jms-bridge", "bridge_attempt", "jms", seen);
        assertThat(auditEventsOf("e2e-jms-bridge").get(0).path("call_id").asText())
                .isEqualTo("call-e2e-jms");
    }

    /**
     * The README's example file: five commands, one of them invalid. Once the file is in
     * processed/, its batch_completed event is already in the audit and queued for the receivers.
     */
    @Test
    void drop_file_records_every_line_and_then_batch_completed_before_the_file_moves() throws Exception {
        PrometheusText before = metrics();
        Path inbox = Files.createDirectories(service.dataDirectory().resolve("inbox/bridge"));
        Path temporary = inbox.resolve("e2e-batch.jsonl.tmp");
        Files.copy(Path.of("examples/bridge-batch.jsonl"), temporary);
        Files.move(temporary, inbox.resolve("e2e-batch.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        Path processed = service.dataDirectory().resolve("processed/bridge/e2e-batch.jsonl");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(processed));
        // No waiting from here on for the audit: it was written before the move.
        List<JsonNode> audit = auditEvents();
        List<JsonNode> completed = audit.stream()
                .filter(event ->
                        "batch_completed".equals(event.path("event_type").asText()))
                .filter(event -> "e2e-batch.jsonl".equals(event.path("file").asText()))
                .toList();
        assertThat(completed).hasSize(1);
        JsonNode batch = completed.get(0);
        assertThat(batch.path("lines").asInt()).isEqualTo(5);
        assertThat(batch.path("succeeded").asInt()).isEqualTo(4);
        assertThat(batch.path("failed").asInt()).isEqualTo(1);

        List<JsonNode> results = resultLines("e2e-batch.jsonl");
        assertThat(results).hasSize(5);
        List<String> lineRequestIds =
                results.stream().map(r -> r.path("request_id").asText()).toList();
        for (String requestId : lineRequestIds) {
            List<JsonNode> events = audit.stream()
                    .filter(event -> requestId.equals(event.path("request_id").asText()))
                    .toList();
            assertThat(events).as("audit events of " + requestId).hasSize(1);
            assertThat(events.get(0).path("source").asText()).isEqualTo("file");
            assertThat(events.get(0).path("event_type").asText()).isEqualTo("bridge_attempt");
        }
        // Each line's event names the call its line was for, the invalid one included.
        assertThat(audit.stream()
                        .filter(event ->
                                lineRequestIds.contains(event.path("request_id").asText()))
                        .map(event -> event.path("call_id").asText()))
                .containsExactlyInAnyOrder("call-1001", "call-1002", "call-1003", "call-1004", "call-1005");
        // Every line's event was recorded before the batch's.
        int batchPosition = audit.indexOf(batch);
        for (String requestId : lineRequestIds) {
            assertThat(audit.stream()
                            .filter(event ->
                                    requestId.equals(event.path("request_id").asText()))
                            .map(audit::indexOf))
                    .allMatch(position -> position < batchPosition);
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<LoggedRequest> deliveries = deliveriesOfBatch("e2e-batch.jsonl");
            assertThat(deliveries).hasSize(1);
            assertSigned(deliveries.get(0));
            for (String requestId : lineRequestIds) {
                assertThat(receiver.eventsFor(requestId))
                        .as("webhooks of " + requestId)
                        .hasSize(1);
            }
        });

        PrometheusText after = metrics();
        assertThat(delta(before, after, "cxone_bridge_requests_total", "outcome", "success", "source", "file"))
                .isEqualTo(4);
        assertThat(delta(before, after, "cxone_bridge_requests_total", "outcome", "error", "source", "file"))
                .isEqualTo(1);
        assertThat(delta(before, after, "cxone_request_duration_seconds_count", "operation", "bridge"))
                .isEqualTo(5);
        // A line's answer time runs from its reading to its result, so none is longer than the run
        // of the whole file (which leaves out the wait for the file's read lock).
        double lineSeconds = delta(before, after, "cxone_request_duration_seconds_sum", "operation", "bridge");
        assertThat(lineSeconds / 5)
                .isLessThanOrEqualTo(batch.path("duration_ms").asLong() / 1000.0);
        assertThat(results.stream().mapToDouble(r -> r.path("latency_ms").asDouble(0)))
                .allMatch(latency -> latency <= batch.path("duration_ms").asLong());
    }

    /** What the caller saw and what the metrics said around one request. */
    record Observed(int status, JsonNode answer, double elapsedSeconds, PrometheusText before, PrometheusText after) {}

    private Observed observe(String operation, String source, Supplier<Answer> call) throws Exception {
        PrometheusText before = metrics();
        long started = System.nanoTime();
        Answer answer = call.get();
        double elapsed = (System.nanoTime() - started) / 1e9;
        // Metrics may lag the answer (they are not part of the promise): wait for this request's count.
        String outcome = answer.status() == 200 ? "success" : "error";
        await().atMost(PATIENCE)
                .until(() -> delta(
                                before,
                                metrics(),
                                "cxone_" + operation + "_requests_total",
                                "outcome",
                                outcome,
                                "source",
                                source)
                        >= 1);
        return new Observed(answer.status(), json.readTree(answer.body()), elapsed, before, metrics());
    }

    private void assertRecorded(String requestId, String eventType, String source, Observed seen) throws Exception {
        // Read at once: an answer (HTTP) or reply (JMS) leaves only after its audit line is written.
        List<JsonNode> events = auditEventsOf(requestId);
        assertThat(events).as("audit events of " + requestId).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("event_type").asText()).isEqualTo(eventType);
        assertThat(event.path("source").asText()).isEqualTo(source);
        assertThat(event.path("status_code").asInt()).isEqualTo(seen.status());
        assertThat(event.path("success").asBoolean()).isEqualTo(seen.status() == 200);

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<LoggedRequest> deliveries = receiver.eventsFor(requestId);
            assertThat(deliveries).hasSize(1);
            assertSigned(deliveries.get(0));
            assertThat(CtiReceiver.event(deliveries.get(0))).isEqualTo(event);
        });

        String operation = eventType.startsWith("bridge") ? "bridge" : "handoff";
        String outcome = seen.status() == 200 ? "success" : "error";
        assertThat(delta(
                        seen.before(),
                        seen.after(),
                        "cxone_" + operation + "_requests_total",
                        "outcome",
                        outcome,
                        "source",
                        source))
                .isEqualTo(1);
        assertThat(delta(seen.before(), seen.after(), "cxone_request_duration_seconds_count", "operation", operation))
                .isEqualTo(1);
        // The service's own measure of the request fits inside the caller's.
        assertThat(delta(seen.before(), seen.after(), "cxone_request_duration_seconds_sum", "operation", operation))
                .isPositive()
                .isLessThanOrEqualTo(seen.elapsedSeconds());
    }

    private static void assertSigned(LoggedRequest delivery) {
        assertThat(StandardWebhooks.signatures(delivery))
                .isEqualTo(StandardWebhooks.expectedSignatures(delivery, SIGNING_KEY));
    }

    record Answer(int status, String body) {}

    private static Answer http(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body());
    }

    private List<JsonNode> auditEventsOf(String requestId) throws Exception {
        return auditEvents().stream()
                .filter(event -> requestId.equals(event.path("request_id").asText()))
                .toList();
    }

    /**
     * Sends a command with a reply queue and returns the reply. The audit line must be on disk by
     * the time the reply arrives (the message is acknowledged, and replied to, only after its result
     * is recorded), so it is read at once, before any wait.
     */
    private Answer requestReply(String queue, String body, String requestId) {
        try {
            TemporaryQueue replies = jms.createTemporaryQueue();
            TextMessage request = jms.createTextMessage(body);
            request.setJMSReplyTo(replies);
            request.setStringProperty("request_id", requestId);
            jms.createProducer().send(jms.createQueue(queue), request);
            Message reply = jms.createConsumer(replies).receive(PATIENCE.toMillis());
            assertThat(reply).as("a reply on " + queue).isNotNull();
            assertThat(auditEvents())
                    .as("the audit when the reply arrived")
                    .anyMatch(event -> requestId.equals(event.path("request_id").asText()));
            return new Answer(reply.getIntProperty("status"), reply.getBody(String.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<LoggedRequest> deliveriesOfBatch(String file) {
        return receiver.server().getAllServeEvents().stream()
                .map(event -> event.getRequest())
                .filter(request ->
                        file.equals(CtiReceiver.event(request).path("file").asText(null)))
                .toList();
    }

    private List<JsonNode> resultLines(String file) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line :
                Files.readAllLines(service.dataDirectory().resolve("outbox/bridge/" + file + ".results.jsonl"))) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    private List<JsonNode> auditEvents() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : DataFiles.auditLines(service.dataDirectory())) {
            events.add(json.readTree(line));
        }
        return events;
    }

    private PrometheusText metrics() {
        HttpResponse<String> response = service.get(service.managementUrl("/observe/metrics"));
        return new PrometheusText(response.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
    }
}
