package dev.cxoneroutes.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.api.ProblemCode;
import dev.cxoneroutes.cxone.CxoneCallState;
import dev.cxoneroutes.cxone.CxoneRequest;
import dev.cxoneroutes.results.ResultEvent.EventType;
import dev.cxoneroutes.results.ResultEvent.Source;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Makes the fan-out's events: a {@link ResultEvent} from an exchange whose answer is final, and the
 * {@link BatchCompletedEvent} of a drop file. The clock stamps each event.
 *
 * <p>Read from the exchange (all set by the existing routes):
 * {@link ExchangeKeys#OPERATION}, {@link ExchangeKeys#SOURCE}, {@link ExchangeKeys#REQUEST_ID},
 * {@link ExchangeKeys#STATUS}, {@link ExchangeKeys#ERROR_CODE}, {@link ExchangeKeys#ERROR_MESSAGE},
 * {@link CxoneCallState#LATENCY_MS}, {@link CxoneCallState#ATTEMPTS}; the ids from the answer body
 * ({@code guest_id}, {@code call_id}), whether it is still a map/record or already JSON text; for a
 * bridge that failed, the call id from {@link ExchangeKeys#CALL_ID} or else from the CXone request that was sent.
 */
public class ResultEvents {

    /**
     * Optional exchange property with the bridge's call id. The bridge routes may set it as soon as
     * the command is read, so that a bridge refused or failed before CXone answered still names its
     * call; without it the call id comes from the answer or the CXone request.
     */

    /** The DTMF alphabet: a match of the caller's digits counts only when not part of a longer run. */
    private static final String DTMF_CHARACTER = "[0-9A-Da-d*#]";

    private static final String REDACTED = "[redacted]";

    private final Clock clock;
    private final String instance;

    public ResultEvents(Clock clock) {
        this(clock, null);
    }

    /** @param instance INSTANCE_ID, written into every event (CONTRACT §9) */
    public ResultEvents(Clock clock, String instance) {
        this.clock = clock;
        this.instance = instance;
    }

    /**
     * The event for an exchange whose answer is final: after the success mapping or
     * {@code FailureAnswer}, before or after {@code AnswerWriter}.
     *
     * @throws IllegalArgumentException when the exchange has no known operation or source: the
     *     route that built it forgot to tag it, which a test should catch
     */
    public ResultEvent fromExchange(Exchange exchange) {
        EventType type = EventType.forOperation(exchange.getProperty(ExchangeKeys.OPERATION, String.class));
        Source source = Source.of(exchange.getProperty(ExchangeKeys.SOURCE, String.class));
        String errorCode = exchange.getProperty(ExchangeKeys.ERROR_CODE, String.class);
        int status = status(exchange, errorCode);
        // The answer and the request sent to CXone (voice data and all) are read only when a field
        // is needed from them, and each at most once: a bridge that named its call (every drop-file
        // line does) needs neither, an answered handoff only the answer as built (no JSON parsed).
        Object answer =
                exchange.getProperty(ExchangeKeys.ANSWER, exchange.getMessage().getBody(), Object.class);
        String callId =
                type == EventType.BRIDGE_ATTEMPT ? exchange.getProperty(ExchangeKeys.CALL_ID, String.class) : null;
        boolean callIdMissing = type == EventType.BRIDGE_ATTEMPT && (callId == null || callId.isBlank());
        CxoneRequest cxoneRequest = exchange.getProperty(CxoneRequest.PROPERTY, CxoneRequest.class);
        JsonNode sentToCxone =
                cxoneRequest != null && (callIdMissing || errorCode != null) ? parseObject(cxoneRequest.body()) : null;

        String guestId = null;
        if (callIdMissing) {
            callId = firstPresent(answerField(answer, "call_id"), text(sentToCxone, "callId"));
        } else if (type != EventType.BRIDGE_ATTEMPT) {
            guestId = answerField(answer, "guest_id");
        }
        String errorMessage = errorCode == null
                ? null
                : withoutDtmf(
                        exchange.getProperty(ExchangeKeys.ERROR_MESSAGE, String.class),
                        sentToCxone == null ? null : text(sentToCxone.path("attributes"), "dtmf_sequence"));

        return new ResultEvent(
                clock.instant(),
                type,
                source,
                exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class),
                callId,
                guestId,
                errorCode == null && status / 100 == 2,
                status,
                exchange.getProperty(CxoneCallState.LATENCY_MS, 0.0, Double.class),
                exchange.getProperty(CxoneCallState.ATTEMPTS, 0, Integer.class),
                errorCode,
                errorMessage,
                instance);
    }

    /** The event that closes a drop file. */
    public BatchCompletedEvent batchCompleted(String file, long lines, long succeeded, long failed, Duration duration) {
        return new BatchCompletedEvent(clock.instant(), file, lines, succeeded, failed, duration.toMillis(), instance);
    }

    /**
     * The status the caller was answered with. Success mappings set 200; a failure's status follows
     * from its problem code when a route set the code but not the status.
     */
    private static int status(Exchange exchange, String errorCode) {
        Integer status = exchange.getProperty(ExchangeKeys.STATUS, Integer.class);
        if (status != null) {
            return status;
        }
        if (errorCode == null) {
            return 200;
        }
        try {
            return ProblemCode.valueOf(errorCode).status();
        } catch (IllegalArgumentException unknownCode) {
            return 500;
        }
    }

    /**
     * A top-level scalar field of the answer, whatever form it has reached: the success map or record
     * as built (ExchangeKeys.ANSWER), a {@link JsonNode}, or JSON text. Anything else (a stream) is
     * not read, so building the event never consumes the body.
     */
    private static String answerField(Object body, String field) {
        if (body instanceof Map<?, ?> map) {
            Object value = map.get(field);
            return value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                    ? value.toString()
                    : null;
        }
        return text(answerTree(body), field);
    }

    private static JsonNode answerTree(Object body) {
        if (body instanceof JsonNode node) {
            return node;
        }
        if (body instanceof CharSequence text) {
            return parseObject(text.toString());
        }
        if (body instanceof byte[] bytes) {
            return parseObject(new String(bytes, StandardCharsets.UTF_8));
        }
        if (body != null && body.getClass().isRecord()) {
            try {
                return ResultsJson.tree(body);
            } catch (IllegalArgumentException notConvertible) {
                return null;
            }
        }
        return null;
    }

    private static JsonNode parseObject(String text) {
        if (text == null || !text.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            return ResultsJson.tree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String firstPresent(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * CXone may quote the request back in its error detail ("invalid dtmf_sequence '4711#'"), and
     * that detail becomes the event's message. The caller's digits are replaced wherever they stand
     * alone, i.e. not inside a longer run of DTMF characters, so that a short sequence like "1" does
     * not also blank the 1 in "HTTP 401".
     */
    static String withoutDtmf(String message, String dtmf) {
        if (message == null || dtmf == null || dtmf.isEmpty()) {
            return message;
        }
        Pattern standalone = Pattern.compile(
                "(?<!" + DTMF_CHARACTER + ")" + Pattern.quote(dtmf) + "(?!" + DTMF_CHARACTER + ")",
                Pattern.CASE_INSENSITIVE);
        return standalone.matcher(message).replaceAll(Matcher.quoteReplacement(REDACTED));
    }
}
