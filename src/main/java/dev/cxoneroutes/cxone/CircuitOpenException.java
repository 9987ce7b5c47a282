package dev.cxoneroutes.cxone;

import java.time.Duration;

/** CXone kept failing, so calls fail fast until the circuit breaker probes it again. */
public final class CircuitOpenException extends RuntimeException {

    private final Duration retryAfter;

    public CircuitOpenException(Duration retryAfter) {
        super("CXone calls are suspended after repeated failures");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
