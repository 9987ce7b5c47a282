package dev.cxoneroutes.jms;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for the JMS entry routes: like {@code api-errors}, whatever a message trips over
 * (not JSON, not a valid command) becomes its result, the problem document, sent as the reply. The
 * failure is handled, so the transacted session commits: an invalid message is acknowledged, not
 * redelivered (it would fail the same way forever). The result is recorded before that commit.
 * An OUTCOME_UNKNOWN answer (a redelivery from an instance that died mid-request) is kept for
 * replays like a success ({@code IdempotentReplay}); other failures are not kept.
 * Its own configuration rather than {@code api-errors} because the answer is a JMS reply, not an
 * HTTP response, and must be recorded before the acknowledgement.
 */
public class JmsErrorConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "jms-errors";

    @Override
    public void configuration() {
        // spotless:off
        routeConfiguration(ID)
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .handled(true)
                    .process("failureAnswer")
                    .bean("jmsReplyWriter", "write")
                    .bean("idempotentReplay", "remember")
                    .bean("resultRecorder", "recordBeforeAck")
                .end();
        // spotless:on
    }
}
