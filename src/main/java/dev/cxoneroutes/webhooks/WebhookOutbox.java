package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultPublication;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * Turns a result event into the deliveries to queue: one per {@code CTI_WEBHOOK_URLS} entry, each
 * with its own webhook id, as the JSON text the outbox queue holds.
 */
public class WebhookOutbox implements Expression {

    private final List<String> urls;
    private final Clock clock;

    public WebhookOutbox(List<String> urls, Clock clock) {
        this.urls = List.copyOf(urls);
        this.clock = clock;
    }

    /**
     * The deliveries of an event's JSON ({@link FanOutEvent#toJson()}): the body of every delivery.
     * Empty when no webhook URL is configured.
     */
    public List<String> deliveriesFor(String eventJson) {
        if (urls.isEmpty()) {
            return List.of();
        }
        List<String> deliveries = new ArrayList<>(urls.size());
        for (WebhookDelivery delivery : WebhookDelivery.forEachUrl(eventJson, urls, clock.instant())) {
            deliveries.add(delivery.toJson());
        }
        return deliveries;
    }

    /**
     * The deliveries of the exchange's event ({@value ResultPublication#EVENT}): results-webhooks
     * splits on this bean as an expression ({@code ref}), not on a {@code method} call, whose
     * reflective invocation and parameter parsing were 4-6 % of a drop-file line's CPU (bench/).
     */
    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        return type.cast(deliveriesFor(ResultPublication.eventJson(exchange)));
    }
}
