package dev.cxoneroutes.audit;

import dev.cxoneroutes.config.CloseOnStop;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.health.ReadinessCheck;
import dev.cxoneroutes.metrics.ServiceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;

/**
 * The audit file (CONTRACT §6): DATA_DIR/audit/audit-YYYY-MM-DD.jsonl, written by the
 * {@code auditLog} step (an {@link AuditRecorder}), closed when the service stops. Readiness check
 * {@code audit} is DOWN while events wait in memory for the file to be writable again.
 */
public final class AuditWiring {

    private AuditWiring() {}

    public static void bind(CamelContext context, Settings settings, Path dataDirectory, ServiceMetrics metrics)
            throws Exception {
        AuditLog files = new AuditLog(
                dataDirectory.resolve("audit"),
                Duration.ofMillis(settings.number("results.audit-sync-interval-millis", 1000)));
        AuditRecorder audit = new AuditRecorder(
                files,
                settings.number("results.audit-backlog-events", 50_000),
                Duration.ofSeconds(1),
                metrics::auditMeters);
        context.addService(new CloseOnStop(audit), true, false);
        context.getRegistry().bind("auditLog", audit);
        context.getRegistry()
                .bind(
                        "auditReadiness",
                        new ReadinessCheck(
                                "audit",
                                audit::isWritable,
                                "The audit file (DATA_DIR/audit) cannot be written: answers go out and their"
                                        + " events are held in memory until it can"));
    }
}
