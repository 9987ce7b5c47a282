package dev.cxoneroutes.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.cxoneroutes.config.CloseOnStop;
import dev.cxoneroutes.config.ServiceWiring;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.health.CachedProbe;
import dev.cxoneroutes.health.ReadinessCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store (CONTRACT §9): the embedded one under DATA_DIR/state, or with STATE_STORE_URL the
 * PostgreSQL database several instances share, with its connection pool, schema, purge of expired
 * rows, pool metrics and readiness check ({@code state-store}).
 */
public final class StateStoreWiring {

    /**
     * How long a repeat waits for the first request with its key, and how long a claim holds when its
     * instance died holding it: longer than the slowest request (CXONE_MAX_ATTEMPTS attempts of
     * CXONE_TIMEOUT_SECONDS each, plus waits between them).
     */
    public static final Duration WAIT_FOR_FIRST = Duration.ofMinutes(5);

    /** Registry name of the shared database's connection pool, bound only with STATE_STORE_URL. */
    public static final String DATA_SOURCE = "stateStoreDataSource";

    private static final Logger LOG = LoggerFactory.getLogger(StateStoreWiring.class);

    private StateStoreWiring() {}

    /** The store for Idempotency-Key answers and claims, closed when the service stops. */
    public static AnswerStore answerStore(CamelContext context, Settings settings) throws Exception {
        Duration retention = Duration.ofHours(settings.number("idempotency.retention-hours", 24));
        AnswerStore store;
        if (settings.text("state-store.url").isPresent()) {
            store = postgres(context, settings, retention);
        } else {
            store = MvStoreAnswerStore.open(
                    ServiceWiring.dataDirectory(settings).resolve("state/idempotency.mv.db"),
                    retention,
                    settings.number("idempotency.max-entries", 100_000),
                    Clock.systemUTC());
        }
        context.addService(new CloseOnStop(store), true, false);
        context.getRegistry()
                .bind(
                        "stateStoreReadiness",
                        new ReadinessCheck(
                                "state-store",
                                new CachedProbe(
                                        store::reachable,
                                        Duration.ofSeconds(settings.number("health.state-store-check-seconds", 5)),
                                        Clock.systemUTC()),
                                "The state store (STATE_STORE_URL) cannot be reached"));
        return store;
    }

    /** INSTANCE_ID, or the host name: names this instance in its claims, events and logs. */
    public static String instanceId(Settings settings) {
        return settings.text("instance.id").orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "unknown-host";
            }
        });
    }

    private static PostgresAnswerStore postgres(CamelContext context, Settings settings, Duration retention) {
        MeterRegistry meters = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        HikariConfig config = new HikariConfig();
        config.setPoolName("state-store");
        config.setJdbcUrl(settings.text("state-store.url").orElseThrow());
        settings.text("state-store.user").ifPresent(config::setUsername);
        settings.text("state-store.password").ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.number("state-store.pool-size", 10));
        // A database that is down must cost a request a short wait and a 503, not a hung thread.
        config.setConnectionTimeout(settings.number("state-store.connect-timeout-millis", 2000));
        config.setValidationTimeout(Math.min(config.getConnectionTimeout(), 1000));
        // The pool starts even while the database is away; the schema step below says whether it is.
        config.setInitializationFailTimeout(-1);
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        HikariDataSource pool = new HikariDataSource(config);
        // Drop-file claims and line progress (batch/) use the same database and pool.
        context.getRegistry().bind(DATA_SOURCE, pool);
        try {
            StateStoreSchema.apply(pool);
        } catch (SQLException e) {
            pool.close();
            // Neither the URL nor the driver's message: either may carry credentials.
            throw new IllegalStateException(
                    "Cannot start: the state store at STATE_STORE_URL cannot be used (SQL state " + e.getSQLState()
                            + "). Check STATE_STORE_URL, STATE_STORE_USER and STATE_STORE_PASSWORD.");
        }
        Counter errors = meters == null
                ? null
                : Counter.builder("cxone.state.store.errors")
                        .description("Uses of the state store that failed (database unreachable or refusing)")
                        .register(meters);
        String instance = instanceId(settings);
        PostgresAnswerStore store = new PostgresAnswerStore(
                pool,
                instance,
                retention,
                WAIT_FOR_FIRST,
                Clock.systemUTC(),
                errors == null ? () -> {} : errors::increment,
                pool);
        schedulePurge(context, store, Duration.ofSeconds(settings.number("state-store.purge-interval-seconds", 300)));
        LOG.info("State store: PostgreSQL (STATE_STORE_URL), shared; this instance is {}", instance);
        return store;
    }

    private static void schedulePurge(CamelContext context, PostgresAnswerStore store, Duration interval) {
        ScheduledExecutorService purge =
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(store, "StateStorePurge");
        purge.scheduleWithFixedDelay(
                () -> {
                    try {
                        int purged = store.purgeExpired();
                        LOG.debug("Purged {} expired idempotency rows", purged);
                    } catch (RuntimeException e) {
                        LOG.warn("Purging expired idempotency rows failed, will try again: {}", e.getMessage());
                    }
                },
                interval.toSeconds(),
                interval.toSeconds(),
                TimeUnit.SECONDS);
    }
}
