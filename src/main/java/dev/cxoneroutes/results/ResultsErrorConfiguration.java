package dev.cxoneroutes.results;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the fan-out routes. A failing output never reaches the caller: whatever goes
 * wrong is handled here, and never retried in a loop that could pile up events in memory.
 */
public class ResultsErrorConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "results-errors";
    /** For the step that queues one webhook delivery: what the broker refuses becomes a dead letter. */
    public static final String ENQUEUE_ID = "results-enqueue-errors";

    @Override
    public void configuration() {
        // spotless:off
        routeConfiguration(ID)
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .handled(true)
                    .process("fanOutFailures")
                .end();

        routeConfiguration(ENQUEUE_ID)
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .handled(true)
                    .bean("webhookDeadLetters", "unqueued")
                .end();
        // spotless:on
    }
}
