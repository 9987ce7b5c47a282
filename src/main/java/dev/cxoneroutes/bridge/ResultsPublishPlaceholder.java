package dev.cxoneroutes.bridge;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * TEMPORARY: replaced by the fan-out on merge (issue 4 provides the real {@code direct:results-publish},
 * which writes the audit line, queues the webhooks and counts the metrics). Until then the JMS and
 * drop-folder routes hand their events here, so this branch runs on its own. Delete this class when
 * the fan-out's route with id {@code results-publish} lands.
 */
public class ResultsPublishPlaceholder extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:results-publish")
                .routeId("results-publish")
                .log(LoggingLevel.DEBUG, "dev.cxoneroutes.results", "result event (no fan-out yet): ${body}");
    }
}
