package dev.cxoneroutes.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.AnswerWriter;
import dev.cxoneroutes.api.FailureAnswer;
import dev.cxoneroutes.api.IdempotentReplay;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.api.RequestGuard;
import dev.cxoneroutes.batch.BatchFiles;
import dev.cxoneroutes.batch.BatchLines;
import dev.cxoneroutes.batch.BatchProgress;
import dev.cxoneroutes.batch.DropFolder;
import dev.cxoneroutes.bridge.BridgeMapping;
import dev.cxoneroutes.bridge.BridgeRequestReader;
import dev.cxoneroutes.cxone.CxoneAttempt;
import dev.cxoneroutes.cxone.CxoneCallTimer;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.cxone.RetryDecisions;
import dev.cxoneroutes.cxone.SecretScrubber;
import dev.cxoneroutes.cxone.TokenProvider;
import dev.cxoneroutes.handoff.GuestSessionMapping;
import dev.cxoneroutes.handoff.HandoffRequestReader;
import dev.cxoneroutes.health.CachedProbe;
import dev.cxoneroutes.health.ReadinessCheck;
import dev.cxoneroutes.jms.EmbeddedBroker;
import dev.cxoneroutes.jms.JmsPool;
import dev.cxoneroutes.jms.JmsReplyWriter;
import dev.cxoneroutes.jms.JmsRequests;
import dev.cxoneroutes.jms.ResultRecorder;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ServiceMetrics;
import dev.cxoneroutes.results.WebhookSettings;
import dev.cxoneroutes.sandbox.SandboxCxone;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.VertxOptions;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.validation.Validation;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.sjms2.Sjms2Component;
import org.apache.camel.spi.Registry;

/**
 * Builds the service's beans from its settings and binds them by the names the routes use.
 * Refuses to start in live mode when a required setting is missing, naming every one.
 */
@Configuration
public class ServiceWiring implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        Registry registry = context.getRegistry();

        String sandboxUrl = "";
        if (settings.text(CxoneSettings.BASE_URL).isEmpty()) {
            SandboxCxone sandbox = new SandboxCxone();
            sandbox.start();
            context.addService(sandbox, true, false);
            sandboxUrl = sandbox.baseUrl();
        }
        CxoneSettings cxone = CxoneSettings.load(settings, sandboxUrl);
        List<String> apiKeys = csv(settings.text("api.keys", ""));
        WebhookSettings webhooks = WebhookSettings.load(settings);
        refuseIncompleteLiveMode(settings, cxone, apiKeys, webhooks);
        ServiceMetrics metrics = ResultsWiring.metrics(context);

        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        registry.bind("jsonMapper", json);
        registry.bind("cxoneSettings", cxone);
        registry.bind("platform-http-engine", new BusinessPortHttpEngine(settings.number("http.port", 8080)));
        registry.bind(
                "vertxOptions", new VertxOptions().setWorkerPoolSize(settings.number("http.worker-threads", 200)));

        HttpComponent http = context.getComponent("http", HttpComponent.class);
        http.setResponseTimeout(cxone.timeout().toMillis());
        http.setConnectTimeout(Math.min(cxone.timeout().toMillis(), 10_000));
        http.setSoTimeout(cxone.timeout().toMillis());
        // HttpClient 5 retries 429/503 on its own by default: that would go behind the retry policy's back.
        http.setAutomaticRetriesDisabled(true);
        // camel-http's pool allows 20 connections per host: fewer than BATCH_CONCURRENCY lines plus the
        // HTTP and JMS traffic would need, and the excess would queue for a connection, not for CXone.
        int connections = settings.number("cxone.max-connections", 200);
        http.setConnectionsPerRoute(connections);
        http.setMaxTotalConnections(connections);

        TokenProvider tokens = new TokenProvider(
                cxone,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                json,
                Clock.systemUTC(),
                metrics::tokenFetched);
        registry.bind("cxoneTokens", tokens);
        registry.bind("cxoneCircuitBreaker", circuitBreaker(settings));
        registry.bind(
                "cxoneAttempt",
                new CxoneAttempt(tokens, registry.lookupByNameAndType("cxoneCircuitBreaker", CircuitBreaker.class)));
        registry.bind("cxoneCallTimer", new CxoneCallTimer(json));
        registry.bind(
                "cxoneRetryDecisions", new RetryDecisions(cxone.maxAttempts(), cxone.maxBackoff(), metrics::retrying));

        registry.bind("requestGuard", new RequestGuard(apiKeys));
        registry.bind("answerWriter", new AnswerWriter(json));
        registry.bind(
                "failureAnswer", new FailureAnswer(json, new SecretScrubber(cxone.secrets()), cxone.maxBackoff()));
        registry.bind(
                "idempotentReplay",
                new IdempotentReplay(StateStoreWiring.answerStore(context, settings), StateStoreWiring.WAIT_FOR_FIRST));
        JsonBodies bodies =
                new JsonBodies(json, Validation.buildDefaultValidatorFactory().getValidator());
        registry.bind("jsonBodies", bodies);

        registry.bind("handoffRequestReader", new HandoffRequestReader(json, bodies));
        registry.bind("guestSessionMapping", new GuestSessionMapping(json, cxone, ServiceVersion.read()));

        // Bridge (CONTRACT §3-5): every entry point reads with bridgeRequestReader, then direct:bridge-call-cxone.
        registry.bind("bridgeRequestReader", new BridgeRequestReader(bodies));
        registry.bind("bridgeMapping", new BridgeMapping(json, cxone));

        ResultEvents events = new ResultEvents(Clock.systemUTC(), StateStoreWiring.instanceId(settings));
        registry.bind("resultEvents", events);
        wireJms(context, settings);
        ResultsWiring.bind(
                context,
                dataDirectory(settings),
                Duration.ofMillis(settings.number("results.audit-sync-interval-millis", 1000)),
                webhooks,
                metrics);
        wireReadinessChecks(context, settings, cxone, tokens);
        registry.bind("jmsRequests", new JmsRequests(registry.lookupByNameAndType("requestGuard", RequestGuard.class)));
        registry.bind("jmsReplyWriter", new JmsReplyWriter(json));
        registry.bind("resultRecorder", new ResultRecorder(events, context.createProducerTemplate()));
        wireDropFolder(context, settings, json, events);

        context.getManagementStrategy().addEventNotifier(new StartupBanner(settings, cxone, apiKeys.isEmpty()));
    }

    /**
     * The JMS broker: the one at JMS_BROKER_URL, or else an embedded one, persistent under
     * DATA_DIR/broker. Every JMS endpoint goes through the sjms2 component.
     */
    private static void wireJms(CamelContext context, Settings settings) throws Exception {
        String brokerUrl = settings.text("jms.broker-url").orElse(null);
        if (brokerUrl == null) {
            EmbeddedBroker broker = new EmbeddedBroker(
                    dataDirectory(settings).resolve("broker"),
                    settings.text("jms.embedded-host", "127.0.0.1"),
                    settings.number("jms.embedded-port", 61616));
            broker.start();
            context.addService(broker, true, false);
            context.getRegistry().bind("embeddedBroker", broker);
            brokerUrl = broker.inVmUrl();
        }
        ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(brokerUrl);
        context.getRegistry().bind("jmsConnectionFactory", connections);
        // Pooled: camel-sjms2 would otherwise open a broker connection per send (see JmsPool).
        context.getComponent("sjms2", Sjms2Component.class).setConnectionFactory(JmsPool.around(connections));
    }

    /**
     * Readiness beyond Camel's own route checks (found in the registry by camel-health): the broker,
     * and in live mode CXone's token endpoint, asked at most once per HEALTH_TOKEN_CHECK_SECONDS.
     */
    private static void wireReadinessChecks(
            CamelContext context, Settings settings, CxoneSettings cxone, TokenProvider tokens) {
        Registry registry = context.getRegistry();
        EmbeddedBroker embedded = registry.lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        BooleanSupplier brokerUsable = embedded != null
                ? embedded::isActive
                : new CachedProbe(
                        () -> canConnect(registry.lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class)),
                        Duration.ofSeconds(settings.number("health.broker-check-seconds", 10)),
                        Clock.systemUTC());
        registry.bind("brokerReadiness", new ReadinessCheck("broker", brokerUsable, "The JMS broker is not reachable"));
        if (!cxone.sandbox()) {
            CachedProbe tokenUsable = new CachedProbe(
                    tokens::isUsable,
                    Duration.ofSeconds(settings.number("health.token-check-seconds", 30)),
                    Clock.systemUTC());
            registry.bind(
                    "cxoneTokenReadiness",
                    new ReadinessCheck(
                            "cxone-token",
                            tokenUsable,
                            "No CXone access token can be obtained from the token endpoint"));
        }
    }

    private static boolean canConnect(ConnectionFactory connections) {
        try (Connection connection = connections.createConnection()) {
            return true;
        } catch (JMSException e) {
            return false;
        }
    }

    /**
     * The bridge drop folder (CONTRACT §5). Its lines run on a fixed pool of BATCH_CONCURRENCY
     * threads: the split runs each line to its end on one of them (synchronous), retries included,
     * and reads the next line only when a thread is free, so neither threads nor queued lines grow
     * with the file.
     */
    private static void wireDropFolder(
            CamelContext context, Settings settings, ObjectMapper json, ResultEvents events) {
        Registry registry = context.getRegistry();
        BatchProgress progress = new BatchProgress(settings.number("batch.recent-files", 100));
        registry.bind("batchProgress", progress);
        registry.bind(
                "batchFiles",
                new BatchFiles(
                        new DropFolder(dataDirectory(settings)),
                        progress,
                        events,
                        settings.number("batch.sync-interval-millis", 1000),
                        Clock.systemUTC()));
        registry.bind("batchLines", new BatchLines(json, events));
        registry.bind(
                "batchLineExecutor",
                context.getExecutorServiceManager()
                        .newFixedThreadPool(progress, "BatchLine", settings.number("batch.concurrency", 16)));
    }

    public static Path dataDirectory(Settings settings) {
        return Path.of(settings.text("data.dir", "./data")).toAbsolutePath().normalize();
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

    private static CircuitBreaker circuitBreaker(Settings settings) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.number("cxone.circuit.window-calls", 50))
                .minimumNumberOfCalls(settings.number("cxone.circuit.minimum-calls", 20))
                .failureRateThreshold(settings.number("cxone.circuit.failure-rate-percent", 50))
                .waitDurationInOpenState(Duration.ofSeconds(settings.number("cxone.circuit.open-seconds", 30)))
                .permittedNumberOfCallsInHalfOpenState(settings.number("cxone.circuit.probe-calls", 3))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        return CircuitBreaker.of("cxone", config);
    }

    private static List<String> csv(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
