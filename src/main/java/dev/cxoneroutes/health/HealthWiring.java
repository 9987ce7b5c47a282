package dev.cxoneroutes.health;

import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.cxone.CxoneSettings;
import dev.cxoneroutes.cxone.TokenProvider;
import dev.cxoneroutes.jms.EmbeddedBroker;
import dev.cxoneroutes.support.ExchangeBlindNotifiers;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Readiness beyond Camel's own route checks (found in the registry by camel-health): the broker,
 * and in live mode CXone's API host (a TCP connect, at most once per HEALTH_CXONE_CHECK_SECONDS)
 * and token endpoint (at most once per HEALTH_TOKEN_CHECK_SECONDS). After startup the service says
 * in the log whether CXone (or the sandbox) can be reached: see {@link CxoneReachability}.
 */
public final class HealthWiring {

    private HealthWiring() {}

    /** After the JMS wiring: reads the broker it bound. */
    public static void bind(CamelContext context, Settings settings, CxoneSettings cxone, TokenProvider tokens) {
        Registry registry = context.getRegistry();
        EmbeddedBroker embedded = registry.lookupByNameAndType("embeddedBroker", EmbeddedBroker.class);
        BooleanSupplier brokerUsable = embedded != null
                ? embedded::isActive
                : new CachedProbe(
                        () -> canConnect(registry.lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class)),
                        Duration.ofSeconds(settings.number("health.broker-check-seconds", 10)),
                        Clock.systemUTC());
        registry.bind("brokerReadiness", new ReadinessCheck("broker", brokerUsable, "The JMS broker is not reachable"));
        CxoneReachability reachability = new CxoneReachability(
                cxone.baseUrl(),
                Duration.ofMillis(settings.number("health.cxone-connect-timeout-millis", 2000)),
                cxone.sandbox());
        ExchangeBlindNotifiers.add(context, reachability);
        if (!cxone.sandbox()) {
            registry.bind(
                    "cxoneReadiness",
                    new ReadinessCheck(
                            "cxone",
                            new CachedProbe(
                                    reachability::reachable,
                                    Duration.ofSeconds(settings.number("health.cxone-check-seconds", 10)),
                                    Clock.systemUTC()),
                            "CXone's API host (CXONE_BASE_URL) does not accept a connection"));
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
}
