package dev.cxoneroutes.cxone;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps around one HTTP attempt at CXone: the circuit breaker's permission, the bearer token
 * and headers, and what the outcome teaches the breaker and the token cache.
 */
public class CxoneAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(CxoneAttempt.class);
    private static final String BEARER = "cxrCxoneBearer";
    private static final String ATTEMPT_STARTED = "cxrCxoneAttemptStarted";
    private static final ContentType JSON = ContentType.create("application/json");

    private final TokenProvider tokens;
    private final CircuitBreaker breaker;

    public CxoneAttempt(TokenProvider tokens, CircuitBreaker breaker) {
        this.tokens = tokens;
        this.breaker = breaker;
    }

    /** Fails fast with {@link CircuitOpenException} while CXone is known to be failing. */
    public void admit(Exchange exchange) {
        if (!breaker.tryAcquirePermission()) {
            long waitMillis = breaker.getCircuitBreakerConfig()
                    .getWaitIntervalFunctionInOpenState()
                    .apply(1);
            throw new CircuitOpenException(Duration.ofMillis(waitMillis));
        }
        exchange.setProperty(ATTEMPT_STARTED, System.nanoTime());
        exchange.setProperty(
                CxoneCallState.ATTEMPTS, exchange.getProperty(CxoneCallState.ATTEMPTS, 0, Integer.class) + 1);
    }

    /** Builds the outbound HTTP request from the stored {@link CxoneRequest}, the same on every attempt. */
    public void prepare(Exchange exchange) {
        CxoneRequest request = exchange.getProperty(CxoneRequest.PROPERTY, CxoneRequest.class);
        String token = tokens.accessToken();
        exchange.setProperty(BEARER, token);
        Message message = exchange.getMessage();
        // Nothing inbound may reach CXone (API keys, form fields, CamelHttpPath), but the error
        // handler keeps its redelivery counter in CamelRedelivery* headers: those stay.
        // Not removeHeaders("*", "CamelRedelivery*"): that matches a regex per header per call.
        message.getHeaders().keySet().removeIf(name -> !name.startsWith("CamelRedelivery"));
        message.setHeader(Exchange.HTTP_URI, request.url());
        message.setHeader("Accept", "application/json");
        message.setHeader("Authorization", "Bearer " + token);
        message.setHeader("X-CXone-Request-ID", request.requestId());
        // A ready entity: camel-http sends it as it is, where a String body took a type conversion and
        // a Content-Type parse per call. UTF-8, as JSON is (RFC 8259), which has no charset parameter.
        message.setBody(new ByteArrayEntity(request.body().getBytes(StandardCharsets.UTF_8), JSON));
    }

    public void succeeded(Exchange exchange) {
        breaker.onSuccess(elapsedNanos(exchange), TimeUnit.NANOSECONDS);
        Message message = exchange.getMessage();
        exchange.setProperty(CxoneCallState.STATUS_CODE, message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        logTraceId(exchange, message.getHeader("x-trace-id", String.class));
        message.removeHeader("Authorization");
    }

    /** Teaches the breaker and the token cache, then lets the failure travel on to the retry policy. */
    public void failed(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        CxoneFailure classified = CxoneFailure.classify(failure);
        if (classified.kind() == FailureKind.RATE_LIMITED
                || classified.kind() == FailureKind.AUTH_FAILED
                || classified.kind() == FailureKind.UNEXPECTED) {
            // A 429 says CXone is up and pacing us: Retry-After handles it, and opening the circuit
            // would fail fresh requests that CXone would accept.
            breaker.releasePermission();
        } else if (classified.kind().isTransient()) {
            breaker.onError(elapsedNanos(exchange), TimeUnit.NANOSECONDS, failure);
        } else {
            // CXone answered sensibly (a 4xx): it is up, whatever it thought of the request.
            breaker.onSuccess(elapsedNanos(exchange), TimeUnit.NANOSECONDS);
        }
        if (classified.kind() == FailureKind.STALE_TOKEN) {
            String bearer = exchange.getProperty(BEARER, String.class);
            if (bearer != null) {
                tokens.invalidate(bearer);
            }
        }
        if (failure instanceof org.apache.camel.http.base.HttpOperationFailedException http) {
            logTraceId(exchange, traceId(http));
        }
        exchange.getMessage().removeHeader("Authorization");
        throw failure;
    }

    private static String traceId(org.apache.camel.http.base.HttpOperationFailedException http) {
        if (http.getResponseHeaders() == null) {
            return null;
        }
        return http.getResponseHeaders().entrySet().stream()
                .filter(e -> "x-trace-id".equalsIgnoreCase(e.getKey()))
                .map(java.util.Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static void logTraceId(Exchange exchange, String traceId) {
        if (traceId != null) {
            CxoneRequest request = exchange.getProperty(CxoneRequest.PROPERTY, CxoneRequest.class);
            LOG.info(
                    "CXone {} attempt {} for request_id={} x-trace-id={}",
                    request.operation(),
                    exchange.getProperty(CxoneCallState.ATTEMPTS),
                    request.requestId(),
                    traceId);
        }
    }

    private static long elapsedNanos(Exchange exchange) {
        Long started = exchange.getProperty(ATTEMPT_STARTED, Long.class);
        return started == null ? 0 : System.nanoTime() - started;
    }
}
