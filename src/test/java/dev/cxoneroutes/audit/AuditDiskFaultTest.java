package dev.cxoneroutes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.AuditTrail;
import dev.cxoneroutes.testing.CapturedLogs;
import dev.cxoneroutes.testing.PrometheusText;
import dev.cxoneroutes.testing.RunningService;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §4: the audit folder cannot be written. Tests run as root, so a chmod would not stop a
 * write; instead the folder is moved away and a regular file put in its place (as a full or
 * read-only disk does, every open and append then fails), and later put back.
 */
class AuditDiskFaultTest {

    static final String HANDOFF = "{\"dtmf_sequence\":\"12#\",\"voice_history\":{},\"caller_id\":\"+15551234567\"}";
    static final String CANNOT_WRITE = "Cannot write the audit file";

    final ObjectMapper json = new ObjectMapper();

    @Test
    void answers_keep_flowing_while_the_audit_folder_is_unwritable_and_held_events_are_written_on_recovery()
            throws Exception {
        try (CapturedLogs logs = CapturedLogs.start();
                RunningService service = RunningService.start(Map.of())) {
            Path audit = service.dataDirectory().resolve("audit");
            assertThat(handoff(service, "before-fault").statusCode()).isEqualTo(200);
            AuditTrail.onlyEventOf(service.dataDirectory(), "before-fault");

            // The fault: the folder is gone and a file stands where it was.
            Path movedAway = service.dataDirectory().resolve("audit.moved-away");
            Files.move(audit, movedAway);
            Files.writeString(audit, "not a folder");
            long faultStarted = System.nanoTime();

            List<String> answeredDuringFault = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        String id = "fault-" + answeredDuringFault.size();
                        assertThat(handoff(service, id).statusCode()).isEqualTo(200);
                        answeredDuringFault.add(id);
                        HttpResponse<String> ready = ready(service);
                        assertThat(ready.statusCode()).isEqualTo(503);
                        assertThat(downChecks(ready)).containsExactly("audit");
                    });
            // Readiness is DOWN now: every event from here on is held, and still answered 200.
            double failuresBefore = metrics(service).valueOrZero("cxone_audit_write_failures_total");
            for (int i = 0; i < 30; i++) {
                String id = "held-" + i;
                assertThat(handoff(service, id).statusCode()).as(id).isEqualTo(200);
                answeredDuringFault.add(id);
            }
            PrometheusText duringFault = metrics(service);
            assertThat(duringFault.valueOrZero("cxone_audit_write_failures_total") - failuresBefore)
                    .isEqualTo(30);
            assertThat(duringFault.valueOrZero("cxone_audit_backlog_events")).isGreaterThanOrEqualTo(30);
            assertThat(duringFault.valueOrZero("cxone_audit_events_lost_total")).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(countLines(logs, CANNOT_WRITE))
                    .isPositive());
            long faultSeconds =
                    Duration.ofNanos(System.nanoTime() - faultStarted).toSeconds();
            // Rate-limited: at most one report a second (plus the one in progress), never one per request.
            assertThat(countLines(logs, CANNOT_WRITE))
                    .isLessThanOrEqualTo(faultSeconds + 2)
                    .isLessThan(answeredDuringFault.size());
            // No request's failure reached the generic fan-out error path (one ERROR per event).
            assertThat(logs.text()).doesNotContain("Result fan-out step results-audit failed");

            // Room again: the folder is back. The service recovers by itself, with no request needed.
            Files.delete(audit);
            Files.move(movedAway, audit);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(ready(service).statusCode()).isEqualTo(200));
            assertThat(metrics(service).valueOrZero("cxone_audit_backlog_events"))
                    .isZero();
            for (String id : answeredDuringFault) {
                AuditTrail.onlyEventOf(service.dataDirectory(), id);
            }
            assertThat(handoff(service, "after-recovery").statusCode()).isEqualTo(200);
            AuditTrail.onlyEventOf(service.dataDirectory(), "after-recovery");
            assertThat(AuditTrail.eventsOf(service.dataDirectory(), "before-fault"))
                    .hasSize(1);
        }
    }

    private static HttpResponse<String> handoff(RunningService service, String requestId) {
        return service.postJson("/api/v1/ivr/handoff", HANDOFF, "X-Request-ID", requestId);
    }

    private static HttpResponse<String> ready(RunningService service) {
        return service.get(service.managementUrl("/observe/health/ready?data=true"));
    }

    private static PrometheusText metrics(RunningService service) {
        return new PrometheusText(
                service.get(service.managementUrl("/observe/metrics")).body());
    }

    private static long countLines(CapturedLogs logs, String text) {
        return logs.lines().stream().filter(line -> line.contains(text)).count();
    }

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
