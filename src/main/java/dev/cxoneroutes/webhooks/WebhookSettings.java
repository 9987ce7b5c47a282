package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.config.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where result events are POSTed and how hard the service tries (CONTRACT §2, §6). The secret is
 * kept only as the signer made from it, which never shows it.
 *
 * @param urls every {@code CTI_WEBHOOK_URLS} entry; empty means no webhooks
 * @param signer signs each request; empty when {@code CTI_WEBHOOK_SECRET} is unset (sandbox only)
 * @param backoff when to retry a failed delivery and when to give up
 * @param timeout the longest one delivery may take, connecting included
 * @param concurrency deliveries in flight at once
 * @param concurrencyDuringBatch deliveries in flight at once while a drop file runs ({@link DeliveryPace})
 * @param queue the outbox queue on the broker
 */
public record WebhookSettings(
        List<String> urls,
        Optional<WebhookSigner> signer,
        WebhookBackoff backoff,
        Duration timeout,
        int concurrency,
        int concurrencyDuringBatch,
        String queue) {

    public static final String URLS = "cti.webhook-urls";
    public static final String SECRET = "cti.webhook-secret";

    public WebhookSettings {
        urls = List.copyOf(urls);
    }

    /** @throws IllegalArgumentException when the secret is malformed (the message never quotes it) */
    public static WebhookSettings load(Settings settings) {
        List<String> urls = Arrays.stream(settings.text(URLS, "").split(","))
                .map(String::trim)
                .filter(url -> !url.isEmpty())
                .toList();
        return new WebhookSettings(
                urls,
                WebhookSigner.fromSetting(settings.text(SECRET).orElse(null)),
                new WebhookBackoff(
                        Duration.ofMillis(settings.number("cti.webhook-retry-first-delay-millis", 5_000)),
                        Duration.ofSeconds(settings.number("cti.webhook-retry-max-delay-seconds", 120)),
                        Duration.ofSeconds(settings.number("cti.webhook-retry-budget-seconds", 600))),
                Duration.ofSeconds(settings.number("cti.webhook-timeout-seconds", 10)),
                settings.number("cti.webhook-concurrency", 4),
                settings.number("cti.webhook-concurrency-during-batch", 1),
                settings.text("cti.webhook-queue", "cti.webhook.outbox"));
    }

    /** Receivers must be able to trust what they get from a live service: URLs need a secret. */
    public List<String> missingLiveSettings() {
        return !urls.isEmpty() && signer.isEmpty()
                ? List.of("CTI_WEBHOOK_SECRET (required with CTI_WEBHOOK_URLS)")
                : List.of();
    }

    @Override
    public String toString() {
        return "WebhookSettings[urls=" + urls.size() + ", signed=" + signer.isPresent() + ", " + backoff + ", timeout="
                + timeout + ", concurrency=" + concurrency
                + ", concurrencyDuringBatch=" + concurrencyDuringBatch + ", queue=" + queue + "]";
    }
}
