package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.metrics.ServiceMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a queued delivery, taken from the outbox queue by {@code results-webhook-deliver}:
 * POST it, then tell the route what comes next ({@link #NEXT}):
 * <ul>
 *   <li>{@code done}: the receiver answered 2xx;</li>
 *   <li>{@code retry}: the body is the delivery one failed attempt later, with the header
 *       {@link ScheduledRequeue#DUE_AT} set to when it is due: the route puts it back on the queue
 *       (in the same transaction), so waiting holds no thread and survives a restart;</li>
 *   <li>{@code dead-letter}: the retry budget is spent; the body is the delivery with its last error.</li>
 * </ul>
 * The queue message is acknowledged only once the route has done that (the consumer is transacted).
 */
public class WebhookAttempt {

    /** Exchange property naming the route's next step. */
    public static final String NEXT = "cxrWebhookNext";
    /** When a retry is due (epoch millisecond), for {@link ScheduledRequeue}. */
    public static final String SCHEDULED_DELIVERY = ScheduledRequeue.DUE_AT;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAttempt.class);

    private final WebhookPoster poster;
    private final WebhookBackoff backoff;
    private final ServiceMetrics metrics;
    private final Clock clock;
    private final DeliveryPace pace;

    public WebhookAttempt(WebhookPoster poster, WebhookBackoff backoff, ServiceMetrics metrics, Clock clock) {
        this(poster, backoff, metrics, clock, DeliveryPace.NONE);
    }

    /** @param pace fewer deliveries at once while a drop file runs ({@link DeliveryPace}) */
    public WebhookAttempt(
            WebhookPoster poster, WebhookBackoff backoff, ServiceMetrics metrics, Clock clock, DeliveryPace pace) {
        this.poster = poster;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.pace = pace;
    }

    public void attempt(Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        String queued = message.getBody(String.class);
        // Inbound JMS properties (the previous schedule among them) must not travel on with a retry.
        message.removeHeaders("*");
        WebhookDelivery delivery;
        try {
            delivery = WebhookDelivery.fromJson(queued);
        } catch (IllegalArgumentException | NullPointerException notADelivery) {
            // Only this service writes to the queue; retrying a message nobody can read would loop forever.
            // The parser's message could quote the text (a URL with a token): say only what it was not.
            LOG.error(
                    "Dropped a message on the CTI webhook queue that is not a delivery ({} characters)",
                    queued == null ? 0 : queued.length());
            exchange.setProperty(NEXT, "done");
            return;
        }
        WebhookPoster.Outcome outcome;
        DeliveryPace.Permit turn = pace.enter(delivery.age(clock.instant()));
        try {
            outcome = poster.post(delivery);
        } finally {
            pace.leave(turn);
        }
        metrics.webhookAttempted(outcome.delivered());
        if (outcome.delivered()) {
            LOG.debug("Delivered {}", delivery);
            exchange.setProperty(NEXT, "done");
            return;
        }
        WebhookDelivery failed = delivery.afterFailedAttempt(outcome.error());
        message.setBody(failed.toJson());
        Instant now = clock.instant();
        Optional<Duration> wait = backoff.nextDelay(failed, now);
        if (wait.isPresent()) {
            message.setHeader(SCHEDULED_DELIVERY, now.plus(wait.get()).toEpochMilli());
            exchange.setProperty(NEXT, "retry");
            LOG.info(
                    "CTI webhook attempt {} failed ({}): {}; next try in {} ms",
                    failed.attempts(),
                    outcome.error(),
                    failed,
                    wait.get().toMillis());
        } else {
            exchange.setProperty(NEXT, "dead-letter");
        }
    }
}
