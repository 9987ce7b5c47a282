package dev.cxoneroutes.api;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for the entry routes: whatever a request trips over before or outside the CXone
 * call (auth, size, media type, JSON, validation) is answered at once with its problem document.
 * CXone failures never reach here: {@code cxone-errors} turns them into answers after its retries.
 * The answered failure is then handed to the result fan-out (routes/results-fanout.camel.yaml),
 * which publishes it on its own threads: the answer never waits for the audit file or the webhooks.
 */
public class ApiErrorConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";

    @Override
    public void configuration() {
        // spotless:off
        routeConfiguration(ID)
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .handled(true)
                    .process("failureAnswer")
                    .bean("answerWriter", "write")
                    .to("direct:results-publish")
                .end();
        // spotless:on
    }
}
