package dev.cxoneroutes.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.ApiWiring;
import dev.cxoneroutes.audit.AuditWiring;
import dev.cxoneroutes.batch.BatchWiring;
import dev.cxoneroutes.bridge.BridgeWiring;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.cxone.CxoneWiring;
import dev.cxoneroutes.cxone.TokenProvider;
import dev.cxoneroutes.handoff.HandoffWiring;
import dev.cxoneroutes.health.HealthWiring;
import dev.cxoneroutes.jms.JmsWiring;
import dev.cxoneroutes.metrics.MetricsWiring;
import dev.cxoneroutes.metrics.ServiceMetrics;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ResultsWiring;
import dev.cxoneroutes.state.StateStoreWiring;
import dev.cxoneroutes.support.ExchangeBlindNotifiers;
import dev.cxoneroutes.webhooks.WebhookSettings;
import dev.cxoneroutes.webhooks.WebhookWiring;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/**
 * Builds the service from its settings, domain by domain: each package's {@code *Wiring} binds its
 * beans by the names the routes use. The order matters only where a domain uses another's beans,
 * as noted. Refuses to start in live mode when a required setting is missing, naming every one.
 */
@Configuration
public class ServiceWiring implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        Path dataDirectory = dataDirectory(settings);

        CxoneSettings cxone = CxoneWiring.settings(context, settings);
        List<String> apiKeys = ApiWiring.apiKeys(settings);
        WebhookSettings webhooks = WebhookSettings.load(settings);
        refuseIncompleteLiveMode(settings, cxone, apiKeys, webhooks);

        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        context.getRegistry().bind("jsonMapper", json);
        bindBusinessHttpServer(context, settings);

        ServiceMetrics metrics = MetricsWiring.bind(context);
        TokenProvider tokens = CxoneWiring.bind(context, settings, cxone, json, metrics);
        ApiWiring.bind(context, settings, cxone, json, apiKeys);
        // Both read requests with the API's JSON bodies.
        HandoffWiring.bind(context, cxone, json);
        BridgeWiring.bind(context, cxone, json);

        ResultEvents events = ResultsWiring.bind(context, metrics, StateStoreWiring.instanceId(settings));
        AuditWiring.bind(context, settings, dataDirectory, metrics);
        WebhookWiring.bind(context, dataDirectory, webhooks, metrics);
        JmsWiring.bind(context, settings, dataDirectory, json, events, webhooks.queue(), metrics);
        HealthWiring.bind(context, settings, cxone, tokens);
        BatchWiring.bind(context, settings, dataDirectory, json, events);

        ExchangeBlindNotifiers.add(context, new StartupBanner(settings, cxone, apiKeys.isEmpty()));
    }

    public static Path dataDirectory(Settings settings) {
        return Path.of(settings.text("data.dir", "./data")).toAbsolutePath().normalize();
    }

    /** The business port's Vert.x server: HTTP_PORT and HTTP_WORKER_THREADS. */
    private static void bindBusinessHttpServer(CamelContext context, Settings settings) throws Exception {
        context.getRegistry()
                .bind("platform-http-engine", new BusinessPortHttpEngine(settings.number("http.port", 8080)));
        context.addStartupListener(new StartingAnswer(settings.number("http.port", 8080)));
        context.getRegistry()
                .bind(
                        "vertxOptions",
                        new VertxOptions().setWorkerPoolSize(settings.number("http.worker-threads", 200)));
    }

    private static void refuseIncompleteLiveMode(
            Settings settings, CxoneSettings cxone, List<String> apiKeys, WebhookSettings webhooks) {
        if (cxone.sandbox()) {
            return;
        }
        List<String> missing = new ArrayList<>(cxone.missingLiveSettings());
        boolean apiAuthDisabled = settings.text("api.auth", "enabled").equalsIgnoreCase("disabled");
        if (apiKeys.isEmpty() && !apiAuthDisabled) {
            missing.add("API_KEYS (or API_AUTH=disabled)");
        }
        missing.addAll(webhooks.missingLiveSettings());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Cannot start against CXone at " + cxone.baseUrl()
                    + ": missing required settings " + String.join(", ", missing)
                    + ". Set them as environment variables or in application.properties.");
        }
    }
}
