package dev.cxoneroutes.metrics;

import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's own Prometheus meters (CONTRACT §6), kept in the registry Camel's route metrics use,
 * so one scrape of {@code /observe/metrics} shows both.
 *
 * <p>The request counters are created up front for every outcome and source, so a dashboard's
 * {@code rate()} has a zero to start from instead of a missing series.
 */
public class ServiceMetrics {

    static final String REQUESTS = "cxone.%s.requests";
    static final String DURATION = "cxone.request.duration";
    static final String TOKEN_FETCHES = "cxone.oauth.token.fetches";
    static final String RETRIES = "cxone.retries";
    static final String WEBHOOK_DELIVERIES = "cti.webhook.deliveries";
    static final String WEBHOOK_DEAD_LETTERS = "cti.webhook.dead.letters";
    static final String FAN_OUT_FAILURES = "cxone.results.failures";
    static final String AUDIT_WRITE_FAILURES = "cxone.audit.write.failures";
    static final String AUDIT_EVENTS_LOST = "cxone.audit.events.lost";
    static final String AUDIT_BACKLOG = "cxone.audit.backlog.events";
    static final String WEBHOOK_SPOOL = "cti.webhook.spool.segments";

    /** Histogram buckets: IVR answers are expected well under a second, CXone retries can take half a minute. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final MeterRegistry registry;
    private final Counter tokenFetches;
    /** Every request counter and timer, made once: looking a meter up per request costs more than counting. */
    private final Map<String, Counter> requestCounters = new HashMap<>();

    private final Map<String, Timer> durations = new HashMap<>();

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String operation : List.of("handoff", "bridge")) {
            for (ResultEvent.Source source : ResultEvent.Source.values()) {
                for (String outcome : List.of("success", "error")) {
                    requestCounters.put(
                            requestKey(operation, outcome, source), requests(operation, outcome, source.wireName()));
                }
            }
            durations.put(operation, duration(operation));
        }
        webhookDeliveries("success");
        webhookDeliveries("error");
        this.tokenFetches = Counter.builder(TOKEN_FETCHES)
                .description("Access tokens requested from the CXone token endpoint")
                .register(registry);
        Counter.builder(WEBHOOK_DEAD_LETTERS)
                .description("CTI webhook deliveries given up and written to the dead-letter file")
                .register(registry);
    }

    /** Counts one answered request and its duration; batch events are not requests and are ignored. */
    public void record(FanOutEvent event, double durationMillis) {
        if (!(event instanceof ResultEvent result)) {
            return;
        }
        String operation = result.eventType().operation();
        requestCounters
                .get(requestKey(operation, result.success() ? "success" : "error", result.source()))
                .increment();
        durations.get(operation).record(Math.round(durationMillis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** TokenProvider's onFetch hook. */
    public void tokenFetched() {
        tokenFetches.increment();
    }

    /** RetryDecisions' RetryListener hook. */
    public void retrying(String operation, String reason) {
        Counter.builder(RETRIES)
                .description("Retries of CXone calls, by operation and the failure that caused them")
                .tag("operation", operation)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** One POST to a CTI receiver: success for a 2xx answer, error for anything else or none. */
    public void webhookAttempted(boolean delivered) {
        webhookDeliveries(delivered ? "success" : "error").increment();
    }

    public void webhookDeadLettered() {
        registry.counter(WEBHOOK_DEAD_LETTERS).increment();
    }

    /** A fan-out step (audit, webhooks, metrics) failed for one event; its route id names the step. */
    public void fanOutFailed(String step) {
        Counter.builder(FAN_OUT_FAILURES)
                .description("Result events a fan-out step could not handle (see the ERROR log line)")
                .tag("step", step)
                .register(registry)
                .increment();
    }

    /**
     * The audit file's meters (issue 10): events whose line could not be written when they were
     * recorded, those given up because too many were held, and how many are held in memory now.
     */
    public AuditMeters auditMeters(java.util.function.IntSupplier held) {
        Counter failures = Counter.builder(AUDIT_WRITE_FAILURES)
                .description("Result events whose audit line could not be written when recorded (held in memory)")
                .register(registry);
        Counter lost = Counter.builder(AUDIT_EVENTS_LOST)
                .description("Result events never written to the audit file: the in-memory backlog was full")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(AUDIT_BACKLOG, held::getAsInt)
                .description("Result events held in memory until the audit file can be written again")
                .register(registry);
        return new AuditMeters(failures::increment, lost::increment);
    }

    /**
     * Files of webhook deliveries in {@code DATA_DIR/webhook-spool} not yet on the broker's queue:
     * about one while deliveries flow, more while the broker is away or its queue is full.
     */
    public void webhookSpool(java.util.function.IntSupplier segmentsPending) {
        io.micrometer.core.instrument.Gauge.builder(WEBHOOK_SPOOL, segmentsPending::getAsInt)
                .description("Files of webhook deliveries waiting in DATA_DIR/webhook-spool for the broker")
                .register(registry);
    }

    /** What the audit writer counts; see {@link #auditMeters}. */
    public record AuditMeters(Runnable writeFailed, Runnable eventLost) {}

    private static String requestKey(String operation, String outcome, ResultEvent.Source source) {
        return operation + '/' + outcome + '/' + source.name();
    }

    private Counter requests(String operation, String outcome, String source) {
        return Counter.builder(String.format(Locale.ROOT, REQUESTS, operation))
                .description("Answered " + operation + " requests, by outcome and source")
                .tag("outcome", outcome)
                .tag("source", source)
                .register(registry);
    }

    private Timer duration(String operation) {
        return Timer.builder(DURATION)
                .description("Time from a request's arrival to its answer, every outcome")
                .tag("operation", operation)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private Counter webhookDeliveries(String outcome) {
        return Counter.builder(WEBHOOK_DELIVERIES)
                .description("POSTs to CTI receivers (each retry counts), by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
