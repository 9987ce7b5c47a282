package dev.cxoneroutes.cxone;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.BackgroundStart;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.metrics.ServiceMetrics;
import dev.cxoneroutes.sandbox.SandboxCxone;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;

/** The beans of the calls to CXone (token, attempts, retries, circuit breaker) used by {@link CxoneRoutes}. */
public final class CxoneWiring {

    private CxoneWiring() {}

    /**
     * CXone's settings, bound as {@code cxoneSettings}. Without CXONE_BASE_URL the sandbox's
     * simulated CXone is started, in the background (the routes start once it is up), and the
     * settings point at it.
     */
    public static CxoneSettings settings(CamelContext context, Settings settings) throws Exception {
        String sandboxUrl = "";
        if (settings.text(CxoneSettings.BASE_URL).isEmpty()) {
            SandboxCxone sandbox = new SandboxCxone();
            BackgroundStart.begin(context, "sandbox CXone", sandbox);
            sandboxUrl = sandbox.baseUrl();
        }
        CxoneSettings cxone = CxoneSettings.load(settings, sandboxUrl);
        context.getRegistry().bind("cxoneSettings", cxone);
        return cxone;
    }

    /** Binds the CXone call beans and returns the token provider (readiness asks it too). */
    public static TokenProvider bind(
            CamelContext context, Settings settings, CxoneSettings cxone, ObjectMapper json, ServiceMetrics metrics) {
        Registry registry = context.getRegistry();
        HttpComponent http = new CxoneHttpComponent();
        context.addComponent("http", http);
        configureHttpClient(http, settings, cxone);

        TokenProvider tokens = new TokenProvider(
                cxone,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                json,
                Clock.systemUTC(),
                metrics::tokenFetched);
        registry.bind("cxoneTokens", tokens);
        CircuitBreaker circuitBreaker = circuitBreaker(settings);
        registry.bind("cxoneCircuitBreaker", circuitBreaker);
        registry.bind("cxoneAttempt", new CxoneAttempt(tokens, circuitBreaker));
        registry.bind("cxoneHeaders", new CxoneHeaders());
        registry.bind("cxoneCallTimer", new CxoneCallTimer(json));
        registry.bind(
                "cxoneRetryDecisions", new RetryDecisions(cxone.maxAttempts(), cxone.maxBackoff(), metrics::retrying));
        return tokens;
    }

    private static void configureHttpClient(HttpComponent http, Settings settings, CxoneSettings cxone) {
        http.setResponseTimeout(cxone.timeout().toMillis());
        http.setConnectTimeout(Math.min(cxone.timeout().toMillis(), 10_000));
        http.setSoTimeout(cxone.timeout().toMillis());
        // HttpClient 5 retries 429/503 on its own by default: that would go behind the retry policy's back.
        http.setAutomaticRetriesDisabled(true);
        // CXone's API is bearer-token only: a cookie store shared by every call (one per JVM) would
        // only carry one caller's load-balancer cookies to the next, behind a lock every call takes.
        http.setCookieManagementDisabled(true);
        // camel-http's pool allows 20 connections per host: fewer than BATCH_CONCURRENCY lines plus the
        // HTTP and JMS traffic would need, and the excess would queue for a connection, not for CXone.
        int connections = settings.number("cxone.max-connections", 200);
        http.setConnectionsPerRoute(connections);
        http.setMaxTotalConnections(connections);
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
}
