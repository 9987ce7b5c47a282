package dev.cxoneroutes.jms;

import dev.cxoneroutes.results.ResultEvents;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Hands a JMS command's result event to the fan-out ({@code direct:results-publish}) and waits for
 * it, because the contract (§4) acknowledges a message only after its result is recorded: the
 * transacted session commits when the route ends, so recording must happen inside it. A wireTap
 * would return at once and let the acknowledgement overtake the audit line. If recording fails the
 * message is rolled back and redelivered, and the idempotency store answers it without calling
 * CXone again.
 *
 * <p>The fan-out gets a copy of the exchange with the event as its body: the reply (the message's
 * body) must not change.
 */
public class ResultRecorder {

    public static final String RESULTS_PUBLISH = "direct:results-publish";

    private final ResultEvents events;
    private final ProducerTemplate producer;

    public ResultRecorder(ResultEvents events, ProducerTemplate producer) {
        this.events = events;
        this.producer = producer;
    }

    public void recordBeforeAck(Exchange exchange) throws Exception {
        Exchange copy = exchange.copy();
        copy.getMessage().removeHeaders("*");
        copy.getMessage().setBody(events.fromExchange(exchange));
        producer.send(RESULTS_PUBLISH, copy);
        if (copy.getException() != null) {
            throw copy.getException();
        }
    }
}
