package dev.cxoneroutes.cxone;

import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The judgements the CXone retry policy asks for: which failures are worth another attempt, and
 * how long to wait when CXone said so in a Retry-After header.
 */
public class RetryDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(RetryDecisions.class);

    private final int maxAttempts;
    private final Duration maxBackoff;
    private final RetryListener listener;

    public RetryDecisions(int maxAttempts, Duration maxBackoff, RetryListener listener) {
        this.maxAttempts = maxAttempts;
        this.maxBackoff = maxBackoff;
        this.listener = listener;
    }

    /**
     * 429, 5xx (the token endpoint's too), timeouts and dropped connections, while attempts remain.
     * The attempts are counted by {@code cxone-attempt} on the exchange, not taken from Camel's
     * CamelRedeliveryCounter header: an answer that breaks off in its body (a malformed chunk) has
     * already replaced the message's headers, and with them that count, which then never ran out.
     */
    public boolean isTransient(Exchange exchange) {
        return classify(exchange).kind().isTransient() && attempts(exchange) < maxAttempts;
    }

    /** CXone answered 401 to our bearer token. */
    public boolean isStaleToken(Exchange exchange) {
        return classify(exchange).kind() == FailureKind.STALE_TOKEN;
    }

    /** A rejected token is replaced once, within the attempt budget; a second 401 is final. */
    public boolean mayRefreshToken(Exchange exchange) {
        return !exchange.getProperty(CxoneCallState.TOKEN_REFRESHED, false, Boolean.class)
                && attempts(exchange) < maxAttempts;
    }

    /**
     * Runs after each failed attempt, before the next delay is computed: CXone's Retry-After (capped)
     * replaces the exponential backoff for this one wait.
     */
    public void afterFailedAttempt(Exchange exchange) {
        CxoneFailure failure = classify(exchange);
        Optional<Duration> askedFor =
                failure.kind() == FailureKind.RATE_LIMITED || failure.kind() == FailureKind.SERVER_ERROR
                        ? failure.retryAfter()
                        : Optional.empty();
        if (askedFor.isPresent()) {
            Duration wait = askedFor.get().compareTo(maxBackoff) > 0 ? maxBackoff : askedFor.get();
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }

    /** Runs just before each new attempt. */
    public void beforeRetry(Exchange exchange) {
        CxoneFailure failure = classify(exchange);
        if (failure.kind() == FailureKind.STALE_TOKEN) {
            exchange.setProperty(CxoneCallState.TOKEN_REFRESHED, true);
        }
        CxoneRequest request = exchange.getProperty(CxoneRequest.PROPERTY, CxoneRequest.class);
        String operation = request == null ? "unknown" : request.operation();
        String reason = reason(failure);
        listener.retrying(operation, reason);
        LOG.warn(
                "Retrying CXone {} for request_id={} after attempt {} failed ({})",
                operation,
                request == null ? "" : request.requestId(),
                attempts(exchange),
                reason);
    }

    static String reason(CxoneFailure failure) {
        return switch (failure.kind()) {
            case RATE_LIMITED -> "rate_limited";
            case SERVER_ERROR -> "server_error";
            case TIMEOUT -> "timeout";
            case CONNECTION -> "connection";
            case STALE_TOKEN -> "token_refresh";
            default -> failure.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static int attempts(Exchange exchange) {
        return exchange.getProperty(CxoneCallState.ATTEMPTS, 0, Integer.class);
    }

    private static CxoneFailure classify(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return CxoneFailure.classify(failure);
    }

    /** Told of every retry, for metrics. */
    @FunctionalInterface
    public interface RetryListener {
        void retrying(String operation, String reason);
    }
}
