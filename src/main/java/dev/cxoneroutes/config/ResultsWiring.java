package dev.cxoneroutes.config;

import dev.cxoneroutes.jms.ScheduledRequeue;
import dev.cxoneroutes.results.AuditLog;
import dev.cxoneroutes.results.DeadLetterFile;
import dev.cxoneroutes.results.FanOutFailures;
import dev.cxoneroutes.results.OperationTotals;
import dev.cxoneroutes.results.RequestLog;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ResultPublication;
import dev.cxoneroutes.results.ServiceMetrics;
import dev.cxoneroutes.results.WebhookAttempt;
import dev.cxoneroutes.results.WebhookDeadLetters;
import dev.cxoneroutes.results.WebhookOutbox;
import dev.cxoneroutes.results.WebhookPoster;
import dev.cxoneroutes.results.WebhookSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the beans of the result fan-out (routes/results-*.camel.yaml) by the names the routes use. */
final class ResultsWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsWiring.class);

    private ResultsWiring() {}

    /**
     * The service's meters, in the registry camel-micrometer-prometheus serves on /observe/metrics.
     * Camel looks for a registry named {@value MicrometerConstants#METRICS_REGISTRY_NAME} before making
     * its own, so whichever of us comes first, both end up in the same one.
     */
    static ServiceMetrics metrics(CamelContext context) {
        Registry registry = context.getRegistry();
        MeterRegistry meters =
                registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        ServiceMetrics metrics = new ServiceMetrics(meters);
        registry.bind("serviceMetrics", metrics);
        return metrics;
    }

    static void bind(
            CamelContext context,
            Path dataDirectory,
            Duration auditSyncInterval,
            WebhookSettings webhooks,
            ServiceMetrics metrics)
            throws Exception {
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        // One ResultEvents for every flow: ServiceWiring binds it before the results are wired.
        registry.bind(
                "resultPublication",
                new ResultPublication(registry.lookupByNameAndType("resultEvents", ResultEvents.class)));
        registry.bind("requestLog", new RequestLog());
        registry.bind("operationTotals", new OperationTotals());
        registry.bind("fanOutFailures", new FanOutFailures(metrics));

        AuditLog audit = new AuditLog(dataDirectory.resolve("audit"), auditSyncInterval);
        context.addService(new CloseOnStop(audit), true, false);
        registry.bind("auditLog", audit);

        DeadLetterFile deadLetterFile = new DeadLetterFile(dataDirectory.resolve("dead-letter"));
        context.addService(new CloseOnStop(deadLetterFile), true, false);
        registry.bind("webhookDeadLetters", new WebhookDeadLetters(deadLetterFile, metrics, clock));
        registry.bind("webhookOutbox", new WebhookOutbox(webhooks.urls(), clock));
        WebhookPoster poster = new WebhookPoster(
                WebhookPoster.client(webhooks.timeout()), webhooks.signer(), webhooks.timeout(), clock);
        registry.bind("webhookAttempt", new WebhookAttempt(poster, webhooks.backoff(), metrics, clock));
        registry.bind("webhookRequeue", new ScheduledRequeue(webhooks.queue()));
        context.getManagementStrategy()
                .addEventNotifier(new EarlyConsumerStop(
                        context, List.of("results-webhook-deliver", "bridge-jms", "handoff-jms")));

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
}
