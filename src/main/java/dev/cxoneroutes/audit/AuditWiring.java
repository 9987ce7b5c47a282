package dev.cxoneroutes.audit;

import dev.cxoneroutes.config.CloseOnStop;
import dev.cxoneroutes.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;

/** The audit file (CONTRACT §6): DATA_DIR/audit/audit-YYYY-MM-DD.jsonl, closed when the service stops. */
public final class AuditWiring {

    private AuditWiring() {}

    public static void bind(CamelContext context, Settings settings, Path dataDirectory) throws Exception {
        AuditLog audit = new AuditLog(
                dataDirectory.resolve("audit"),
                Duration.ofMillis(settings.number("results.audit-sync-interval-millis", 1000)));
        context.addService(new CloseOnStop(audit), true, false);
        context.getRegistry().bind("auditLog", audit);
    }
}
