package dev.cxoneroutes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * Sends one request through a failing CXone and checks what every observer sees: the caller's
 * status and problem code, {@code cxone_retries_total} and the request's audit line. How many
 * requests CXone itself saw is for the test to check, since that depends on the endpoint at fault.
 *
 * @param status the caller's HTTP status
 * @param code the problem code, null for a success
 * @param attempts the attempts the service made (the audit line's {@code attempts})
 * @param retryReason the {@code reason} label the retries are counted under, null when there are none
 * @param retries how much {@code cxone_retries_total} grows, over every reason
 */
public record FaultOutcome(int status, String code, int attempts, String retryReason, int retries) {

    static final String[] RETRY_REASONS = {"rate_limited", "server_error", "timeout", "connection", "token_refresh"};
    private static final ObjectMapper JSON = new ObjectMapper();

    public static FaultOutcome answered(int attempts) {
        return new FaultOutcome(200, null, attempts, null, 0);
    }

    /** A failure after {@code attempts}, each but the first a retry counted under {@code retryReason}. */
    public static FaultOutcome failed(int status, String code, int attempts, String retryReason) {
        return new FaultOutcome(status, code, attempts, retryReason, retryReason == null ? 0 : attempts - 1);
    }

    /**
     * Sends a fresh request of this operation and checks the answer, the metrics and the audit line.
     *
     * @param maxBackoffSeconds CXONE_MAX_BACKOFF_SECONDS of the service: a 503's Retry-After must say so
     */
    public void check(RunningService service, CxoneOperation operation, long maxBackoffSeconds) {
        String requestId = "fault-" + UUID.randomUUID();
        PrometheusText before = scrape(service);

        HttpResponse<String> response = operation.call(service, requestId);

        JsonNode answer = parse(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (code == null) {
            assertThat(answer.path("status").asText()).isEqualTo("success");
            if (operation == CxoneOperation.HANDOFF) {
                assertThat(answer.path("guest_id").isTextual()).isTrue();
                assertThat(answer.path("session_url").isTextual()).isTrue();
            }
        } else {
            assertThat(answer.path("code").asText()).isEqualTo(code);
            assertThat(answer.path("request_id").asText()).isEqualTo(requestId);
        }
        if (status == 503) {
            // The wait the caller is told is capped as the service's own waits are.
            assertThat(response.headers().firstValue("Retry-After")).hasValue(String.valueOf(maxBackoffSeconds));
        }

        PrometheusText after = scrape(service);
        if (retryReason != null) {
            assertThat(retries(after, operation, retryReason) - retries(before, operation, retryReason))
                    .as("cxone_retries_total{operation=%s,reason=%s}", operation.label, retryReason)
                    .isEqualTo(retries);
        }
        assertThat(allRetries(after, operation) - allRetries(before, operation))
                .as("cxone_retries_total{operation=%s}, every reason", operation.label)
                .isEqualTo(retries);

        JsonNode audit = AuditTrail.onlyEventOf(service.dataDirectory(), requestId);
        assertThat(audit.path("event_type").asText()).isEqualTo(operation.label + "_attempt");
        assertThat(audit.path("success").asBoolean()).isEqualTo(code == null);
        assertThat(audit.path("status_code").asInt()).isEqualTo(status);
        assertThat(audit.path("attempts").asInt())
                .as("attempts in the audit line")
                .isEqualTo(attempts);
        if (code == null) {
            assertThat(audit.path("error_code").isNull()).isTrue();
        } else {
            assertThat(audit.path("error_code").asText()).isEqualTo(code);
        }
    }

    private static PrometheusText scrape(RunningService service) {
        return new PrometheusText(
                service.get(service.managementUrl("/observe/metrics")).body());
    }

    private static double retries(PrometheusText metrics, CxoneOperation operation, String reason) {
        return metrics.valueOrZero("cxone_retries_total", "operation", operation.label, "reason", reason);
    }

    private static double allRetries(PrometheusText metrics, CxoneOperation operation) {
        double total = 0;
        for (String reason : RETRY_REASONS) {
            total += retries(metrics, operation, reason);
        }
        return total;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the answer is not JSON: " + body, e);
        }
    }
}
