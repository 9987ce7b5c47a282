package dev.cxoneroutes.cxone;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The headers that cross between an exchange and CXone, named rather than filtered out by pattern:
 * out, what {@link CxoneAttempt#prepare} sets; in, the trace id that {@link CxoneAttempt} logs.
 * Whatever else an exchange carries (a caller's API key, a form field) can never reach CXone, and
 * CXone's own headers (cookies, its load balancer's) never reach the caller's answer. Cheaper too:
 * camel-http's default strategy matched every header against its patterns on every call.
 */
public final class CxoneHeaders implements HeaderFilterStrategy {

    /** Filtered out unless {@link CxoneAttempt#prepare} sets it. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !(name.equalsIgnoreCase("Authorization")
                || name.equalsIgnoreCase("X-CXone-Request-ID")
                || name.equalsIgnoreCase("Accept"));
    }

    /** Filtered out unless it is CXone's trace id. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !name.equalsIgnoreCase("x-trace-id");
    }
}
