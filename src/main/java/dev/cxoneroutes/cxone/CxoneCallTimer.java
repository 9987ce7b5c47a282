package dev.cxoneroutes.cxone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.camel.Exchange;

/** Times a CXone call from its first attempt to its final answer, and reads that answer as JSON. */
public class CxoneCallTimer {

    private final ObjectMapper json;

    public CxoneCallTimer(ObjectMapper json) {
        this.json = json;
    }

    public void start(Exchange exchange) {
        exchange.setProperty(CxoneCallState.STARTED_NANOS, System.nanoTime());
        exchange.setProperty(CxoneCallState.ATTEMPTS, 0);
    }

    /**
     * Stops the clock and leaves CXone's answer as a {@link JsonNode} body (an empty object if it sent
     * none). A body that is not JSON is CXone's fault, not the caller's: {@link CxoneBadResponseException}.
     */
    public void finish(Exchange exchange) throws IOException {
        stop(exchange);
        String body = exchange.getMessage().getBody(String.class);
        try {
            exchange.getMessage()
                    .setBody(body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body));
        } catch (JsonProcessingException notJson) {
            throw new CxoneBadResponseException(
                    exchange.getProperty(CxoneCallState.STATUS_CODE, 200, Integer.class),
                    "CXone answered HTTP " + exchange.getProperty(CxoneCallState.STATUS_CODE, 200, Integer.class)
                            + " with a body that is not JSON.");
        }
    }

    /** Records the latency; also called when the call failed for good. */
    public static void stop(Exchange exchange) {
        Long started = exchange.getProperty(CxoneCallState.STARTED_NANOS, Long.class);
        if (started != null && exchange.getProperty(CxoneCallState.LATENCY_MS) == null) {
            double millis = Math.round((System.nanoTime() - started) / 100_000.0) / 10.0;
            exchange.setProperty(CxoneCallState.LATENCY_MS, millis);
        }
    }
}
