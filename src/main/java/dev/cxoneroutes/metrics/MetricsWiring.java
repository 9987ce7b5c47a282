package dev.cxoneroutes.metrics;

import dev.cxoneroutes.support.ExchangeBlindNotifiers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.Registry;

/** The service's meters and the request totals behind GET /api/v1/metrics/summary. */
public final class MetricsWiring {

    /**
     * Routes without Camel's per-route timers: the fan-out and drop-file line routes every answer or
     * line passes through, and the inner steps of a CXone call (its attempts, the handoff's and the
     * bridge's own sub-routes). Their outcomes are already counted by the service's own metrics and
     * by the timers kept on the entry routes and on {@code cxone-call}/{@code cxone-failed} (what the
     * alerts and the dashboard read); each timed route cost every exchange two
     * {@code String.format} calls and a property (9 % of the handoff's allocations in a JFR profile
     * at c=50, then 7 % with four routes timed per handoff).
     */
    static final String UNTIMED_ROUTES =
            "results-*,bridge-batch-*,cxone-retry,cxone-attempt,handoff-create-guest,bridge-call-cxone";

    private MetricsWiring() {}

    /**
     * The service's meters, in the registry camel-micrometer-prometheus serves on /observe/metrics.
     * Camel looks for a registry named {@value MicrometerConstants#METRICS_REGISTRY_NAME} before making
     * its own, so whichever of us comes first, both end up in the same one.
     */
    public static ServiceMetrics bind(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        MeterRegistry meters =
                registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        timeRoutes(context, meters);
        countRoutes(context, meters);
        ServiceMetrics metrics = new ServiceMetrics(meters);
        registry.bind("serviceMetrics", metrics);
        OperationTotals totals = new OperationTotals();
        registry.bind("operationTotals", totals);
        registry.bind("metricsStep", new MetricsStep(metrics, totals));
        return metrics;
    }

    /**
     * Camel's route timers ({@code camel_exchanges_total{routeId=…}} and friends), as
     * {@code camel.metrics.enableRoutePolicy} would add them (it is off in application.properties),
     * but not on {@link #UNTIMED_ROUTES}: camel-main has no setting for that.
     */
    private static void timeRoutes(CamelContext context, MeterRegistry meters) throws Exception {
        MicrometerRoutePolicyFactory routeTimers = new MicrometerRoutePolicyFactory();
        routeTimers.setMeterRegistry(meters);
        routeTimers.getPolicyConfiguration().setExcludePattern(UNTIMED_ROUTES);
        context.addService(routeTimers);
        context.addRoutePolicyFactory(routeTimers);
    }

    /**
     * Camel's route gauges ({@code camel_routes_added_routes}, {@code camel_routes_running_routes}:
     * an alert compares them), as {@code camel.metrics.enableRouteEventNotifier} would add them (off
     * in application.properties): camel-main's notifier also asked for exchange events it never
     * reads, which made Camel build them for every exchange.
     */
    private static void countRoutes(CamelContext context, MeterRegistry meters) {
        MicrometerRouteEventNotifier routeGauges = new MicrometerRouteEventNotifier();
        routeGauges.setMeterRegistry(meters);
        ExchangeBlindNotifiers.add(context, routeGauges);
    }
}
