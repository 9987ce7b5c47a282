package dev.cxoneroutes.metrics;

import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultPublication;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The {@code results-metrics} step: counts the event {@code results-publish} prepared in the
 * Prometheus meters and in the totals of {@code /api/v1/metrics/summary}. A processor rather than
 * bean calls with {@code ${…}} arguments: it runs once per request.
 */
public final class MetricsStep implements Processor {

    private final ServiceMetrics metrics;
    private final OperationTotals totals;

    public MetricsStep(ServiceMetrics metrics, OperationTotals totals) {
        this.metrics = metrics;
        this.totals = totals;
    }

    @Override
    public void process(Exchange exchange) {
        FanOutEvent event = exchange.getProperty(ResultPublication.EVENT, FanOutEvent.class);
        double durationMillis = exchange.getProperty(ResultPublication.DURATION_MS, 0.0, Double.class);
        metrics.record(event, durationMillis);
        totals.record(event, durationMillis);
    }
}
