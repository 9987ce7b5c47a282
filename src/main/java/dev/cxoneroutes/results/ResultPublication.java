package dev.cxoneroutes.results;

import dev.cxoneroutes.api.ExchangeKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of {@code results-publish}: the event to fan out, made once, and how long the
 * request took. Both go into exchange properties that the audit, webhook and metrics steps read, so
 * those steps leave the message alone and a caller that publishes synchronously gets its own
 * message back unchanged.
 */
public class ResultPublication implements Processor {

    /** The {@link FanOutEvent} being published. A drop-file flow may set it to its {@link BatchCompletedEvent}. */
    public static final String EVENT = "cxrResultEvent";
    /**
     * The event's {@link FanOutEvent#toJson() JSON}, made here once: it is both the audit line and
     * the webhook body, and writing it was the costliest part of the fan-out after the copies.
     */
    public static final String EVENT_JSON = "cxrResultEventJson";
    /** Milliseconds from the request's arrival to its answer, as a double. */
    public static final String DURATION_MS = "cxrRequestDurationMs";

    private final ResultEvents events;

    public ResultPublication(ResultEvents events) {
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        FanOutEvent event = exchange.getProperty(EVENT, FanOutEvent.class);
        if (event == null) {
            event = events.fromExchange(exchange);
            exchange.setProperty(EVENT, event);
        }
        exchange.setProperty(EVENT_JSON, event.toJson());
        exchange.setProperty(DURATION_MS, durationMillis(exchange));
    }

    /** The JSON of the exchange's event, as this step made it (or made now, for an exchange it skipped). */
    public static String eventJson(Exchange exchange) {
        String json = exchange.getProperty(EVENT_JSON, String.class);
        return json != null
                ? json
                : exchange.getProperty(EVENT, FanOutEvent.class).toJson();
    }

    /**
     * From {@link ExchangeKeys#RECEIVED_NANOS} (set by RequestGuard) to {@link ExchangeKeys#ANSWERED_NANOS}
     * (set by AnswerWriter), falling back to the exchange's age for flows that set neither.
     */
    static double durationMillis(Exchange exchange) {
        Long received = exchange.getProperty(ExchangeKeys.RECEIVED_NANOS, Long.class);
        if (received == null) {
            return exchange.getClock().elapsed();
        }
        long answered = exchange.getProperty(ExchangeKeys.ANSWERED_NANOS, System.nanoTime(), Long.class);
        return Math.max(0, answered - received) / 1_000_000.0;
    }
}
