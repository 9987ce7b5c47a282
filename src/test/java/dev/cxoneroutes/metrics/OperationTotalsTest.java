package dev.cxoneroutes.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxoneroutes.results.BatchCompletedEvent;
import dev.cxoneroutes.results.ResultEvent;
import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers of GET /api/v1/metrics/summary. */
class OperationTotalsTest {

    static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    final OperationTotals totals = new OperationTotals();

    @Test
    void reports_zeros_before_any_request() {
        assertThat(totals.summary())
                .isEqualTo(Map.of(
                        "handoff", zeros(),
                        "bridge", zeros()));
    }

    @Test
    void counts_each_operation_across_sources_with_rate_and_average_latency() {
        totals.record(event(EventType.HANDOFF_ATTEMPT, Source.HTTP, true), 10.0);
        totals.record(event(EventType.HANDOFF_ATTEMPT, Source.JMS, true), 20.0);
        totals.record(event(EventType.HANDOFF_ATTEMPT, Source.FILE, false), 3.0);
        totals.record(event(EventType.BRIDGE_ATTEMPT, Source.FILE, false), 7.25);
        totals.record(new BatchCompletedEvent(AT, "calls.jsonl", 10, 9, 1, 100), 100.0);

        assertThat(totals.summary().get("handoff"))
                .isEqualTo(Map.of(
                        "total_operations",
                        3L,
                        "success_count",
                        2L,
                        "failure_count",
                        1L,
                        "success_rate_percent",
                        66.67,
                        "average_latency_ms",
                        11.0));
        assertThat(totals.summary().get("bridge"))
                .isEqualTo(Map.of(
                        "total_operations",
                        1L,
                        "success_count",
                        0L,
                        "failure_count",
                        1L,
                        "success_rate_percent",
                        0.0,
                        "average_latency_ms",
                        7.3));
    }

    private static Map<String, Object> zeros() {
        return Map.of(
                "total_operations",
                0L,
                "success_count",
                0L,
                "failure_count",
                0L,
                "success_rate_percent",
                0.0,
                "average_latency_ms",
                0.0);
    }

    private static ResultEvent event(EventType type, Source source, boolean success) {
        return new ResultEvent(
                AT,
                type,
                source,
                "r",
                null,
                null,
                success,
                success ? 200 : 503,
                1.0,
                1,
                success ? null : "CXONE_UNAVAILABLE",
                success ? null : "down");
    }
}
