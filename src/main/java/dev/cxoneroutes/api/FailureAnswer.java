package dev.cxoneroutes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.cxone.CxoneBadResponseException;
import dev.cxoneroutes.cxone.CxoneFailure;
import dev.cxoneroutes.cxone.FailureKind;
import dev.cxoneroutes.cxone.SecretScrubber;
import dev.cxoneroutes.state.StateStoreUnavailableException;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.bean.validator.BeanValidationException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever failed into the caller's answer: a problem document with the contract's code.
 * Every failure ends here, once its retries (if any) are spent, so nothing is only logged.
 */
public class FailureAnswer implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailureAnswer.class);

    /** A state store outage is usually a failover or a restart: seconds, not minutes. */
    private static final long STATE_STORE_RETRY_AFTER_SECONDS = 5;

    private final ObjectMapper json;
    private final SecretScrubber scrubber;
    private final Duration defaultRetryAfter;

    public FailureAnswer(ObjectMapper json, SecretScrubber scrubber, Duration defaultRetryAfter) {
        this.json = json;
        this.scrubber = scrubber;
        this.defaultRetryAfter = defaultRetryAfter;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem problem = problemFor(failure, exchange.getProperty(ExchangeKeys.REQUEST_ID, String.class), exchange);
        exchange.setProperty(ExchangeKeys.STATUS, problem.status());
        exchange.setProperty(ExchangeKeys.ERROR_CODE, problem.code());
        exchange.setProperty(ExchangeKeys.ERROR_MESSAGE, problem.detail());
        exchange.getMessage().setBody(problem);
    }

    private Problem problemFor(Throwable failure, String requestId, Exchange exchange) {
        if (failure instanceof RequestRejectedException rejected) {
            return Problem.of(rejected.code(), rejected.getMessage(), requestId, rejected.errors());
        }
        if (failure instanceof BeanValidationException invalid) {
            List<FieldError> errors = ViolationFields.of(invalid.getConstraintViolations());
            return Problem.of(ProblemCode.INVALID_REQUEST, errors.size() + " field(s) are invalid.", requestId, errors);
        }
        if (failure instanceof JsonProcessingException) {
            return Problem.of(ProblemCode.MALFORMED_JSON, "The body is not valid JSON.", requestId, List.of());
        }
        if (ObjectHelper.getException(StateStoreUnavailableException.class, failure) != null) {
            exchange.setProperty(ExchangeKeys.RETRY_AFTER_SECONDS, STATE_STORE_RETRY_AFTER_SECONDS);
            return Problem.of(
                    ProblemCode.STATE_STORE_UNAVAILABLE,
                    "The shared state store cannot be reached; nothing was sent to CXone. Try again shortly.",
                    requestId,
                    List.of());
        }
        CxoneFailure cxone = CxoneFailure.classify(failure);
        return switch (cxone.kind()) {
            case RATE_LIMITED, SERVER_ERROR, CONNECTION, CIRCUIT_OPEN -> {
                Duration wait = cxone.kind() == FailureKind.CIRCUIT_OPEN
                        ? cxone.retryAfter().orElse(defaultRetryAfter)
                        // CXone's own Retry-After is passed on capped, as our waits are: a huge or
                        // far-future value must not park the IVR's retry for hours.
                        : cxone.retryAfter()
                                .filter(asked -> asked.compareTo(defaultRetryAfter) < 0)
                                .orElse(defaultRetryAfter);
                exchange.setProperty(ExchangeKeys.RETRY_AFTER_SECONDS, Math.max(1, wait.toSeconds()));
                yield Problem.of(ProblemCode.CXONE_UNAVAILABLE, unavailableDetail(cxone), requestId, List.of());
            }
            case TIMEOUT -> Problem.of(
                    ProblemCode.CXONE_TIMEOUT, "CXone did not answer in time.", requestId, List.of());
            case AUTH_FAILED, STALE_TOKEN -> Problem.of(
                    ProblemCode.CXONE_AUTH_FAILED,
                    "CXone refused this service's credentials (HTTP " + cxone.statusCode() + ").",
                    requestId,
                    List.of());
            case BAD_RESPONSE -> Problem.of(
                    ProblemCode.CXONE_BAD_RESPONSE,
                    cxoneFailureMessage(failure)
                            + " CXone may have acted on the request: check before sending it again.",
                    requestId,
                    List.of());
            case FORBIDDEN -> Problem.of(
                    ProblemCode.CXONE_FORBIDDEN,
                    "CXone refused the operation (HTTP 403): " + cxoneMessage(cxone.detail()),
                    requestId,
                    List.of());
            case REJECTED -> Problem.of(
                    ProblemCode.CXONE_REJECTED,
                    "CXone rejected the request (HTTP " + cxone.statusCode() + "): " + cxoneMessage(cxone.detail()),
                    requestId,
                    List.of());
            case UNEXPECTED -> {
                // The one place an unexplained failure is logged in full; the caller sees no internals.
                LOG.error("Unexpected failure handling request {}", requestId, failure);
                yield Problem.of(
                        ProblemCode.INTERNAL_ERROR,
                        "The request could not be completed; quote the request id when reporting it.",
                        requestId,
                        List.of());
            }
        };
    }

    private static String cxoneFailureMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CxoneBadResponseException bad) {
                return bad.getMessage();
            }
        }
        return "CXone's answer could not be used.";
    }

    private static String unavailableDetail(CxoneFailure cxone) {
        return switch (cxone.kind()) {
            case RATE_LIMITED -> "CXone is rate limiting requests (HTTP 429); try again later.";
            case SERVER_ERROR -> "CXone answered HTTP " + cxone.statusCode() + "; try again later.";
            case CIRCUIT_OPEN -> "CXone is failing repeatedly; calls are suspended for a moment.";
            default -> "CXone could not be reached; try again later.";
        };
    }

    /** CXone's own message when its body has one, scrubbed of anything secret. */
    private String cxoneMessage(String body) {
        if (body == null || body.isBlank()) {
            return "no detail given.";
        }
        try {
            JsonNode node = json.readTree(body);
            for (String field : List.of("message", "error_description", "detail", "title", "error")) {
                if (node.path(field).isTextual()) {
                    return scrubber.scrub(node.path(field).asText());
                }
            }
        } catch (JsonProcessingException notJson) {
            // fall through: pass the text on, scrubbed
        }
        return scrubber.scrub(body);
    }
}
