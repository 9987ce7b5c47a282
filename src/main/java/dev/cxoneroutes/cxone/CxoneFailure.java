package dev.cxoneroutes.cxone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A failed CXone exchange, classified once so that the retry policy, the circuit breaker and the
 * caller's answer all agree on what happened.
 *
 * @param retryAfter the wait CXone asked for (Retry-After), if it asked
 * @param detail CXone's own error body, unscrubbed: pass it through {@link SecretScrubber} before showing it
 */
public record CxoneFailure(FailureKind kind, int statusCode, Optional<Duration> retryAfter, String detail) {

    public static CxoneFailure classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                return fromStatus(
                        http.getStatusCode(),
                        RetryAfter.parse(header(http.getResponseHeaders(), "Retry-After")),
                        Optional.ofNullable(http.getResponseBody()).orElse(""));
            }
            if (cause instanceof TokenRequestFailedException token) {
                int status = token.statusCode();
                FailureKind kind = status == 401 || status == 403
                        ? FailureKind.AUTH_FAILED
                        : fromStatus(status, Optional.empty(), "").kind();
                return new CxoneFailure(kind, status, RetryAfter.parse(token.retryAfter()), "");
            }
            if (cause instanceof CxoneBadResponseException bad) {
                return new CxoneFailure(FailureKind.BAD_RESPONSE, bad.statusCode(), Optional.empty(), "");
            }
            if (cause instanceof CircuitOpenException open) {
                return new CxoneFailure(FailureKind.CIRCUIT_OPEN, 0, Optional.of(open.retryAfter()), "");
            }
            if (cause instanceof SocketTimeoutException
                    || cause instanceof HttpTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                return new CxoneFailure(FailureKind.TIMEOUT, 0, Optional.empty(), "");
            }
            if (cause instanceof IOException && !(cause instanceof UncheckedIOException)) {
                return new CxoneFailure(FailureKind.CONNECTION, 0, Optional.empty(), "");
            }
        }
        return new CxoneFailure(FailureKind.UNEXPECTED, 0, Optional.empty(), "");
    }

    static CxoneFailure fromStatus(int status, Optional<Duration> retryAfter, String body) {
        FailureKind kind;
        if (status == 429) {
            kind = FailureKind.RATE_LIMITED;
        } else if (status >= 500) {
            kind = FailureKind.SERVER_ERROR;
        } else if (status == 401) {
            kind = FailureKind.STALE_TOKEN;
        } else if (status == 403) {
            kind = FailureKind.FORBIDDEN;
        } else {
            kind = FailureKind.REJECTED;
        }
        return new CxoneFailure(kind, status, retryAfter, body);
    }

    /** HttpOperationFailedException's header map is case-sensitive; HTTP header names are not. */
    private static Optional<String> header(Map<String, String> headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
