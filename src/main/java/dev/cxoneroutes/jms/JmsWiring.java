package dev.cxoneroutes.jms;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.RequestGuard;
import dev.cxoneroutes.config.BackgroundStart;
import dev.cxoneroutes.config.CloseOnStop;
import dev.cxoneroutes.config.EarlyConsumerStop;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.metrics.ServiceMetrics;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.support.ExchangeBlindNotifiers;
import dev.cxoneroutes.webhooks.DeliverySpool;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sjms2.Sjms2Component;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.builder.PredicateBuilder;

/**
 * The JMS broker and the beans of the JMS entry points (CONTRACT §4). Every JMS endpoint, the
 * webhook outbox included, goes through the sjms2 component.
 */
public final class JmsWiring {

    /** A segment the broker did not take is tried again after this. */
    private static final Duration SPOOL_RETRY_INTERVAL = Duration.ofSeconds(1);

    private JmsWiring() {}

    /** After the API wiring: the JMS entry points guard their requests with its request guard. */
    public static void bind(
            CamelContext context,
            Settings settings,
            Path dataDirectory,
            ObjectMapper json,
            ResultEvents events,
            String webhookQueue,
            ServiceMetrics metrics)
            throws Exception {
        Registry registry = context.getRegistry();
        bindBroker(context, settings, dataDirectory, webhookQueue, metrics);
        registry.bind("jmsRequests", new JmsRequests(registry.lookupByNameAndType("requestGuard", RequestGuard.class)));
        registry.bind("jmsReplyWriter", new JmsReplyWriter(json));
        registry.bind("resultRecorder", new ResultRecorder(events, context.createProducerTemplate()));
        // At a stop, the JMS consumers stop taking messages first, so that what they hold can finish.
        ExchangeBlindNotifiers.add(
                context,
                new EarlyConsumerStop(context, List.of("results-webhook-deliver", "bridge-jms", "handoff-jms")));
    }

    /**
     * The broker at JMS_BROKER_URL, or else an embedded one, persistent under DATA_DIR/broker and
     * bound as {@code embeddedBroker}.
     */
    private static void bindBroker(
            CamelContext context, Settings settings, Path dataDirectory, String webhookQueue, ServiceMetrics metrics)
            throws Exception {
        String brokerUrl = settings.text("jms.broker-url").orElse(null);
        boolean external = brokerUrl != null;
        EmbeddedBroker broker = null;
        if (!external) {
            broker = new EmbeddedBroker(
                    dataDirectory.resolve("broker"),
                    settings.text("jms.embedded-host", "127.0.0.1"),
                    settings.number("jms.embedded-port", 61616));
            // Starts while the routes are built; they start once it is up.
            BackgroundStart.begin(context, "embedded JMS broker", broker);
            context.getRegistry().bind("embeddedBroker", broker);
            brokerUrl = broker.inVmUrl();
        }
        ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(brokerUrl);
        // sjms2 asks its session for the queue at every send, and Artemis then asked the broker about
        // it three times (queue, address, queue again) before the send itself: four blocking round
        // trips per queued webhook (JFR at 200 req/s). A pooled session keeps the queue it checked.
        connections.setCacheDestinations(true);
        context.getRegistry().bind("jmsConnectionFactory", connections);
        // Pooled: camel-sjms2 would otherwise open a broker connection per send (see JmsPool).
        ConnectionFactory pool = JmsPool.around(connections);
        context.getComponent("sjms2", Sjms2Component.class).setConnectionFactory(pool);
        // An external broker may restart under the service: its consumers get their own connections
        // that reconnect by themselves (see JmsPool). The embedded one lives and dies with the service.
        if (external) {
            ActiveMQConnectionFactory consumers = JmsPool.reconnecting(brokerUrl);
            context.getRegistry().bind("jmsConsumerConnectionFactory", consumers);
            ExchangeBlindNotifiers.add(context, new BrokerAwayAtStop(connections, consumers));
        } else {
            context.getRegistry().bind("jmsConsumerConnectionFactory", pool);
        }
        EmbeddedBroker embedded = broker;
        bindWebhookSpool(
                context,
                dataDirectory,
                new TransactedQueueSender(pool, webhookQueue),
                external ? null : () -> embedded.readyToDeliver(webhookQueue),
                metrics);
    }

    /**
     * How webhook deliveries get onto the outbox queue (routes/results-fanout.camel.yaml,
     * results-webhook-enqueue): with the embedded broker through the webhook spool beside its journal
     * ({@link DeliverySpool}: an answer waits for a file write, not for a broker round trip); with an
     * external one straight onto the shared broker, which keeps them if this instance is gone
     * (CONTRACT §9). {@code webhookSpoolInUse} tells the route which. The spool forwards in both
     * cases: what a run with the embedded broker left in it reaches an external one configured since.
     *
     * @param readyOnQueue deliveries the embedded broker holds for a consumer now; null with an
     *     external broker (the spool then only forwards what an earlier run left, without waiting)
     */
    private static void bindWebhookSpool(
            CamelContext context,
            Path dataDirectory,
            DeliverySpool.Outbox outbox,
            IntSupplier readyOnQueue,
            ServiceMetrics metrics)
            throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("webhookSpoolInUse", PredicateBuilder.constant(readyOnQueue != null));
        DeliverySpool spool = new DeliverySpool(
                dataDirectory.resolve("webhook-spool"),
                outbox,
                readyOnQueue != null ? readyOnQueue : () -> 0,
                SPOOL_RETRY_INTERVAL);
        registry.bind("webhookSpool", spool);
        metrics.webhookSpool(spool::segmentsPending);
        // Added after the embedded broker's BackgroundStart: forwards once the broker is up, and
        // stops before it does.
        context.addStartupListener((started, alreadyStarted) -> spool.start());
        context.addService(new CloseOnStop(spool), true, false);
    }
}
