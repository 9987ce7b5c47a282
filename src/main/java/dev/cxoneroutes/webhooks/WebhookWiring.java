package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.batch.BatchProgress;
import dev.cxoneroutes.config.CloseOnStop;
import dev.cxoneroutes.health.ReadinessCheck;
import dev.cxoneroutes.metrics.ServiceMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed CTI webhooks (routes/results-webhooks.camel.yaml): the outbox, the delivery attempt, its
 * requeue and the dead-letter file.
 */
public final class WebhookWiring {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookWiring.class);
    /** A delivery waits at most this for its turn while a drop file runs, then goes ahead. */
    private static final Duration LONGEST_PACED_WAIT = Duration.ofSeconds(2);
    /** Deliveries of events older than this are not held back by a running drop file. */
    private static final Duration LONGEST_PACED_LAG = Duration.ofSeconds(60);

    private WebhookWiring() {}

    public static void bind(CamelContext context, Path dataDirectory, WebhookSettings webhooks, ServiceMetrics metrics)
            throws Exception {
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        DeadLetterFile deadLetterFile = new DeadLetterFile(dataDirectory.resolve("dead-letter"));
        context.addService(new CloseOnStop(deadLetterFile), true, false);
        // The broker's readiness check is bound later (health/HealthWiring): looked up when asked.
        UnqueuedDeliveries unqueued = new UnqueuedDeliveries(
                dataDirectory.resolve("dead-letter"),
                () -> {
                    ReadinessCheck broker = registry.lookupByNameAndType("brokerReadiness", ReadinessCheck.class);
                    return broker == null || broker.usable();
                },
                () -> {
                    ReadinessCheck broker = registry.lookupByNameAndType("brokerReadiness", ReadinessCheck.class);
                    return broker == null || broker.lastKnownUsable();
                },
                Duration.ofSeconds(1),
                clock);
        context.addService(new CloseOnStop(unqueued), true, false);
        registry.bind("webhookUnqueued", unqueued);
        registry.bind("webhookDeadLetters", new WebhookDeadLetters(deadLetterFile, metrics, clock, unqueued));
        registry.bind("webhookOutbox", new WebhookOutbox(webhooks.urls(), clock));
        WebhookPoster poster = new WebhookPoster(
                WebhookPoster.client(webhooks.timeout()), webhooks.signer(), webhooks.timeout(), clock);
        registry.bind(
                "webhookAttempt",
                new WebhookAttempt(
                        poster,
                        webhooks.backoff(),
                        metrics,
                        clock,
                        deliveryPace(registry, webhooks.concurrencyDuringBatch())));
        registry.bind("webhookRequeue", new ScheduledRequeue(webhooks.queue()));

        if (!webhooks.urls().isEmpty() && webhooks.signer().isEmpty()) {
            LOG.warn(
                    "CTI_WEBHOOK_SECRET is not set: webhooks to the {} URL(s) in CTI_WEBHOOK_URLS go unsigned (sandbox only).",
                    webhooks.urls().size());
        }
        LOG.info(
                "Results fan out to {}/audit, {} CTI webhook URL(s) ({}), and /observe/metrics",
                dataDirectory,
                webhooks.urls().size(),
                webhooks.backoff());
    }

    /**
     * Deliveries yield to a running drop file (DeliveryPace). The drop folder's progress is bound
     * later (batch/BatchWiring): looked up at the first delivery, then kept.
     */
    private static DeliveryPace deliveryPace(Registry registry, int concurrencyDuringBatch) {
        AtomicReference<BatchProgress> progress = new AtomicReference<>();
        return new DeliveryPace(
                () -> {
                    BatchProgress files = progress.get();
                    if (files == null) {
                        files = registry.lookupByNameAndType("batchProgress", BatchProgress.class);
                        if (files == null) {
                            return false;
                        }
                        progress.set(files);
                    }
                    return files.anyRunning();
                },
                concurrencyDuringBatch,
                LONGEST_PACED_WAIT,
                LONGEST_PACED_LAG);
    }
}
