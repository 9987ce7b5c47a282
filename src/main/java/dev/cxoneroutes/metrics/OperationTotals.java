package dev.cxoneroutes.metrics;

import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running totals behind {@code GET /api/v1/metrics/summary} (CONTRACT §3): per operation, how
 * many requests were answered since start, from every source, how many succeeded, and how long they
 * took on average (arrival to answer, the same measure as {@code cxone_request_duration_seconds}).
 */
public class OperationTotals {

    private final Totals handoff = new Totals();
    private final Totals bridge = new Totals();

    /** Counts one answered request; batch events are not requests and are ignored. */
    public void record(FanOutEvent event, double durationMillis) {
        if (event instanceof ResultEvent result) {
            Totals totals = result.eventType() == ResultEvent.EventType.BRIDGE_ATTEMPT ? bridge : handoff;
            totals.add(result.success(), durationMillis);
        }
    }

    /** {@code {"handoff":{…},"bridge":{…}}} with the contract's keys, ready to be written as JSON. */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("handoff", handoff.snapshot());
        summary.put("bridge", bridge.snapshot());
        return summary;
    }

    private static final class Totals {
        private final LongAdder total = new LongAdder();
        private final LongAdder succeeded = new LongAdder();
        private final DoubleAdder millis = new DoubleAdder();

        void add(boolean success, double durationMillis) {
            millis.add(durationMillis);
            if (success) {
                succeeded.increment();
            }
            total.increment();
        }

        Map<String, Object> snapshot() {
            long count = total.sum();
            // A reader racing add() can see a success before its total: never report a negative failure count.
            long success = Math.min(succeeded.sum(), count);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("total_operations", count);
            fields.put("success_count", success);
            fields.put("failure_count", count - success);
            fields.put("success_rate_percent", count == 0 ? 0.0 : round(100.0 * success / count, 2));
            fields.put("average_latency_ms", count == 0 ? 0.0 : round(millis.sum() / count, 1));
            return fields;
        }

        private static double round(double value, int decimals) {
            double scale = Math.pow(10, decimals);
            return Math.round(value * scale) / scale;
        }
    }
}
