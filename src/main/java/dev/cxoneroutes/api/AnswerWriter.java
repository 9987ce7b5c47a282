package dev.cxoneroutes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes the answer the caller receives: JSON body, status, and only our own headers. Inbound
 * headers (the API key among them) must never echo back, so everything else is removed.
 */
public class AnswerWriter {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String JSON = "application/json";

    private final ObjectMapper json;

    public AnswerWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        int status = exchange.getProperty(ExchangeKeys.STATUS, 200, Integer.class);
        String text = body instanceof String s ? s : json.writeValueAsString(body);
        if (body instanceof String) {
            exchange.removeProperty(ExchangeKeys.ANSWER); // a replayed answer: its text is all there is
        } else {
            exchange.setProperty(ExchangeKeys.ANSWER, body);
        }

        message.removeHeaders("*");
        message.setBody(text);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        // A replayed problem (a kept OUTCOME_UNKNOWN) arrives as text, its code already set.
        boolean problem = body instanceof Problem || exchange.getProperty(ExchangeKeys.ERROR_CODE) != null;
        message.setHeader(Exchange.CONTENT_TYPE, contentType(exchange, problem));
        message.setHeader("X-Request-ID", exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class));
        Long retryAfter = exchange.getProperty(ExchangeKeys.RETRY_AFTER_SECONDS, Long.class);
        if (retryAfter != null && status == 503) {
            message.setHeader("Retry-After", retryAfter);
        }
        if (exchange.getProperty(ExchangeKeys.REPLAYED, false, Boolean.class)) {
            message.setHeader("Idempotent-Replayed", "true");
        }
        exchange.setProperty(ExchangeKeys.ANSWERED_NANOS, System.nanoTime());
    }

    /**
     * Problems are application/problem+json, except for callers that accept application/json but not
     * problem+json (the Studio REST action), so the IVR can always parse the answer.
     */
    static String contentType(Exchange exchange, boolean problem) {
        if (!problem) {
            return JSON;
        }
        String accept =
                exchange.getProperty(ExchangeKeys.ACCEPT, "", String.class).toLowerCase(java.util.Locale.ROOT);
        return accept.contains(JSON) && !accept.contains(PROBLEM_JSON) ? JSON : PROBLEM_JSON;
    }
}
