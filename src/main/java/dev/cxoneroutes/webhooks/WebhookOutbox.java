package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultPublication;
import java.time.Clock;
import java.util.List;
import org.apache.camel.ExchangeProperty;

/**
 * Turns a result event into the deliveries to queue: one per {@code CTI_WEBHOOK_URLS} entry, each
 * with its own webhook id, as the JSON text the outbox queue holds.
 */
public class WebhookOutbox {

    private final List<String> urls;
    private final Clock clock;

    public WebhookOutbox(List<String> urls, Clock clock) {
        this.urls = List.copyOf(urls);
        this.clock = clock;
    }

    /**
     * Empty when no webhook URL is configured. The event is bound by annotation: a route naming it
     * as a parameter ({@code deliveriesFor(${exchangeProperty…})}) made Camel introspect this class
     * again for every event.
     */
    public List<String> deliveriesFor(@ExchangeProperty(ResultPublication.EVENT) FanOutEvent event) {
        if (urls.isEmpty()) {
            return List.of();
        }
        return WebhookDelivery.forEachUrl(event.toJson(), urls, clock.instant()).stream()
                .map(WebhookDelivery::toJson)
                .toList();
    }
}
