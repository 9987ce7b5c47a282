package dev.cxoneroutes.results;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.logging.log4j.ThreadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per answered request, with the fields operators filter on: request_id, operation,
 * source, outcome, status and latency. The fields go into the MDC for that line only, so with
 * {@code LOG_FORMAT=json} each is a field of its own. Nothing of the caller's input is logged.
 * The line is written by log4j2.xml's async appender, off the request's thread.
 */
public class RequestLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    /** A step of {@code results-publish}: logs the event {@link ResultPublication} prepared. */
    @Override
    public void process(Exchange exchange) {
        write(
                exchange.getProperty(ResultPublication.EVENT, FanOutEvent.class),
                exchange.getProperty(ResultPublication.DURATION_MS, 0.0, Double.class));
    }

    /** Logs the request behind a result event; batch events are not requests and are ignored. */
    public void write(FanOutEvent event, double durationMillis) {
        if (!(event instanceof ResultEvent result) || !LOG.isInfoEnabled()) {
            return;
        }
        Map<String, String> fields = fields(result, durationMillis);
        try {
            // One copy of Log4j's copy-on-write context map for all fields, not one per field.
            ThreadContext.putAll(fields);
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
            ThreadContext.removeAll(fields.keySet());
        }
    }

    static Map<String, String> fields(ResultEvent event, double durationMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", String.valueOf(event.requestId()));
        fields.put("operation", event.eventType().operation());
        fields.put("source", event.source().wireName());
        fields.put("outcome", event.success() ? "success" : "error");
        fields.put("status", Integer.toString(event.statusCode()));
        fields.put("latency_ms", oneDecimal(durationMillis));
        fields.put("cxone_latency_ms", oneDecimal(event.latencyMs()));
        fields.put("cxone_attempts", Integer.toString(event.attempts()));
        if (event.errorCode() != null) {
            fields.put("error_code", event.errorCode());
        }
        return fields;
    }

    /** {@code 12.3}: what {@code String.format("%.1f")} gives for a duration, without its parser. */
    static String oneDecimal(double value) {
        long tenths = Math.round(Math.max(0, value) * 10);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
