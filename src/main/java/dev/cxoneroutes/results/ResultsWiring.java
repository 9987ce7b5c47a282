package dev.cxoneroutes.results;

import dev.cxoneroutes.metrics.ServiceMetrics;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The beans that make result events and publish them (routes/results-fanout.camel.yaml); the
 * outputs are wired by their own packages (audit, webhooks, metrics).
 */
public final class ResultsWiring {

    private ResultsWiring() {}

    /** Binds them and returns the one {@link ResultEvents} every flow makes its events with. */
    public static ResultEvents bind(CamelContext context, ServiceMetrics metrics, String instanceId) {
        Registry registry = context.getRegistry();
        ResultEvents events = new ResultEvents(Clock.systemUTC(), instanceId);
        registry.bind("resultEvents", events);
        registry.bind("resultPublication", new ResultPublication(events));
        registry.bind("requestLog", new RequestLog());
        registry.bind("keepCallersExchange", new KeepCallersExchange());
        registry.bind("fanOutFailures", new FanOutFailures(metrics));
        return events;
    }
}
