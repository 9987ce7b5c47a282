package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.metrics.ServiceMetrics;
import java.io.IOException;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way out of the outbox and the way back in: deliveries whose retries ran out, or that could
 * not even be queued, go to {@code DATA_DIR/dead-letter/cti-webhook.jsonl}; lines of that file
 * dropped into {@code DATA_DIR/dead-letter/replay/} become deliveries again, under the same
 * webhook id (see docs/fanout.md, "Replaying dead letters").
 */
public class WebhookDeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeadLetters.class);

    private final DeadLetterFile file;
    private final ServiceMetrics metrics;
    private final Clock clock;
    private final UnqueuedDeliveries unqueued;

    /** @param unqueued where deliveries the broker would not take wait for it to come back */
    public WebhookDeadLetters(DeadLetterFile file, ServiceMetrics metrics, Clock clock, UnqueuedDeliveries unqueued) {
        this.file = file;
        this.metrics = metrics;
        this.clock = clock;
        this.unqueued = unqueued;
    }

    /** A delivery (JSON, as queued) whose retry budget is spent. */
    public void append(String deliveryJson) throws IOException {
        WebhookDelivery delivery = WebhookDelivery.fromJson(deliveryJson);
        file.append(DeadLetter.of(delivery, clock.instant()));
        metrics.webhookDeadLettered();
        LOG.warn(
                "CTI webhook gave up after {} attempts ({}): {}; written to {}",
                delivery.attempts(),
                delivery.lastError(),
                delivery,
                file.file());
    }

    /**
     * A delivery the broker would not take (it is down): kept on disk and queued again by itself
     * when the broker is back (see {@link UnqueuedDeliveries}); not a dead letter, nothing was given up.
     */
    public void unqueued(Exchange exchange) throws IOException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        WebhookDelivery delivery = WebhookDelivery.fromJson(
                        exchange.getMessage().getBody(String.class))
                .afterFailedAttempt("could not be queued ("
                        + (failure == null ? "unknown" : failure.getClass().getSimpleName()) + ")");
        unqueued.hold(delivery);
    }

    /**
     * One line of a replay file → the delivery to queue, with attempts and budget starting afresh;
     * null for a blank line or one that is not a dead letter (logged by number, and skipped).
     *
     * @param lineIndex the line's 0-based index in the file (the splitter's)
     */
    public String replay(String line, int lineIndex, String fileName) {
        int lineNumber = lineIndex + 1;
        if (line == null || line.isBlank()) {
            return null;
        }
        try {
            WebhookDelivery delivery = DeadLetter.fromJson(line.strip()).toDelivery(clock.instant());
            LOG.info("Replaying dead letter from {} line {}: {}", fileName, lineNumber, delivery);
            return delivery.toJson();
        } catch (IllegalArgumentException | NullPointerException notADeadLetter) {
            LOG.warn("Skipped line {} of replay file {}: not a dead letter", lineNumber, fileName);
            return null;
        }
    }
}
