package dev.cxoneroutes.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;

/** The service's meters and the request totals behind GET /api/v1/metrics/summary. */
public final class MetricsWiring {

    private MetricsWiring() {}

    /**
     * The service's meters, in the registry camel-micrometer-prometheus serves on /observe/metrics.
     * Camel looks for a registry named {@value MicrometerConstants#METRICS_REGISTRY_NAME} before making
     * its own, so whichever of us comes first, both end up in the same one.
     */
    public static ServiceMetrics bind(CamelContext context) {
        Registry registry = context.getRegistry();
        MeterRegistry meters =
                registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        ServiceMetrics metrics = new ServiceMetrics(meters);
        registry.bind("serviceMetrics", metrics);
        OperationTotals totals = new OperationTotals();
        registry.bind("operationTotals", totals);
        registry.bind("metricsStep", new MetricsStep(metrics, totals));
        return metrics;
    }
}
