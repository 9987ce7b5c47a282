package dev.cxoneroutes.results;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one log line per request: the fields operators filter on, and nothing of the caller's input. */
class RequestLogTest {

    @Test
    void names_request_operation_source_outcome_status_and_latency() {
        ResultEvent failed = new ResultEvent(
                Instant.parse("2026-11-21T10:00:00Z"),
                EventType.BRIDGE_ATTEMPT,
                Source.JMS,
                "req-9",
                "call-1",
                null,
                false,
                503,
                812.44,
                4,
                "CXONE_UNAVAILABLE",
                "CXone answered HTTP 503");

        assertThat(RequestLog.fields(failed, 1234.56))
                .containsExactly(
                        entry("request_id", "req-9"),
                        entry("operation", "bridge"),
                        entry("source", "jms"),
                        entry("outcome", "error"),
                        entry("status", "503"),
                        entry("latency_ms", "1234.6"),
                        entry("cxone_latency_ms", "812.4"),
                        entry("cxone_attempts", "4"),
                        entry("error_code", "CXONE_UNAVAILABLE"));
    }

    @Test
    void writes_durations_with_one_decimal_like_format_did() {
        for (double millis : new double[] {0, 0.04, 0.05, 0.96, 12.3, 12.349, 1234.56, 99999.95, 3.0e7}) {
            assertThat(RequestLog.oneDecimal(millis))
                    .as("%s ms", millis)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", millis));
        }
    }
}
