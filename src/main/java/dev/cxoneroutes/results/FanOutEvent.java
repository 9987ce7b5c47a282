package dev.cxoneroutes.results;

import java.time.Instant;

/**
 * An event the results fan-out delivers to the audit file, the CTI webhooks and the metrics
 * (CONTRACT §6): a {@link ResultEvent} per attempt, a {@link BatchCompletedEvent} per drop file.
 */
public sealed interface FanOutEvent permits ResultEvent, BatchCompletedEvent {

    /** When the outcome was known, UTC, millisecond precision. Also picks the audit file's day. */
    Instant timestamp();

    /**
     * The event as compact single-line JSON with the contract's keys in the contract's order. This
     * exact text is the audit line and the webhook body (signatures are computed over it), so make it
     * once per event and pass the string on.
     */
    default String toJson() {
        return ResultsJson.write(this);
    }
}
