package dev.cxoneroutes.results;

import dev.cxoneroutes.metrics.ServiceMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort of a fan-out step that failed (the disk refused the audit line, the broker refused
 * a delivery and so did the dead-letter file): the event goes into the log at ERROR, whole, so that
 * it is still on record, and {@code cxone_results_failures_total} counts it for alerting. Events
 * hold no caller input beyond ids and no secrets, so logging one is safe.
 */
public class FanOutFailures implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FanOutFailures.class);

    private final ServiceMetrics metrics;

    public FanOutFailures(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        String step = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, "unknown", String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FanOutEvent event = exchange.getProperty(ResultPublication.EVENT, FanOutEvent.class);
        metrics.fanOutFailed(step);
        LOG.error(
                "Result fan-out step {} failed ({}: {}); the event: {}",
                step,
                failure == null ? "unknown" : failure.getClass().getSimpleName(),
                failure == null ? "" : failure.getMessage(),
                event == null ? "(not built)" : event.toJson());
    }
}
