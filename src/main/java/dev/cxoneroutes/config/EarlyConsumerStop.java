package dev.cxoneroutes.config;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the consumers of some routes as soon as the service starts stopping. camel-sjms2 consumers
 * cannot be suspended: during a graceful shutdown they keep taking messages (webhook retries fall
 * due all the time), so the shutdown never sees them idle and runs into its timeout, cutting off
 * the result fan-out it was waiting for. Stopping such a consumer first lets the message in hand
 * finish and be committed; everything else stays on the broker for the next start.
 */
public final class EarlyConsumerStop extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyConsumerStop.class);

    private final CamelContext context;
    private final List<String> routeIds;

    public EarlyConsumerStop(CamelContext context, List<String> routeIds) {
        this.context = context;
        this.routeIds = List.copyOf(routeIds);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        for (String routeId : routeIds) {
            Route route = context.getRoute(routeId);
            if (route != null && route.getConsumer() != null) {
                try {
                    ServiceHelper.stopService(route.getConsumer());
                } catch (RuntimeException e) {
                    LOG.warn("Could not stop the consumer of route {} early: {}", routeId, e.getMessage());
                }
            }
        }
    }
}
