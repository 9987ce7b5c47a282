package dev.cxoneroutes.support;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.EventNotifier;

/**
 * Adds event notifiers that never see an exchange: the start-up banner, the stop hooks, the route
 * gauges.
 *
 * <p>Camel builds exchange events (created, sending, sent, completed, each with its objects) for
 * every exchange as soon as one notifier does not ignore them, even one whose {@code isEnabled}
 * turns every such event down: five such notifiers made every request pay for events nobody read
 * (an ExchangeCreatedEvent and a unit of work's worth per exchange in the allocation profile).
 */
public final class ExchangeBlindNotifiers {

    private ExchangeBlindNotifiers() {}

    public static void add(CamelContext context, EventNotifier notifier) {
        notifier.setIgnoreExchangeEvents(true);
        notifier.setIgnoreStepEvents(true);
        context.getManagementStrategy().addEventNotifier(notifier);
    }
}
