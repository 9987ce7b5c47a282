package dev.cxoneroutes.results;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per answered request, with the fields operators filter on: request_id, operation,
 * source, outcome, status and latency. The fields go into the MDC as well, so with
 * {@code LOG_FORMAT=json} each is a field of its own. Nothing of the caller's input is logged.
 */
public class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    /** Logs the request behind a result event; batch events are not requests and are ignored. */
    public void write(FanOutEvent event, double durationMillis) {
        if (!(event instanceof ResultEvent result) || !LOG.isInfoEnabled()) {
            return;
        }
        Map<String, String> fields = fields(result, durationMillis);
        Map<String, String> previous = MDC.getCopyOfContextMap();
        try {
            fields.forEach(MDC::put);
            // request_id is printed by the layout, from the MDC.
            LOG.info(
                    "Request answered: operation={} source={} outcome={} status={} latency_ms={} cxone_attempts={} error_code={}",
                    fields.get("operation"),
                    fields.get("source"),
                    fields.get("outcome"),
                    fields.get("status"),
                    fields.get("latency_ms"),
                    fields.get("cxone_attempts"),
                    fields.getOrDefault("error_code", "-"));
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    static Map<String, String> fields(ResultEvent event, double durationMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", String.valueOf(event.requestId()));
        fields.put("operation", event.eventType().operation());
        fields.put("source", event.source().wireName());
        fields.put("outcome", event.success() ? "success" : "error");
        fields.put("status", Integer.toString(event.statusCode()));
        fields.put("latency_ms", String.format(Locale.ROOT, "%.1f", durationMillis));
        fields.put("cxone_latency_ms", String.format(Locale.ROOT, "%.1f", event.latencyMs()));
        fields.put("cxone_attempts", Integer.toString(event.attempts()));
        if (event.errorCode() != null) {
            fields.put("error_code", event.errorCode());
        }
        return fields;
    }
}
