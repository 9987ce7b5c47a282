package dev.cxoneroutes.cxone;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.support.CamelContextHelper;

/**
 * The one home of the CXone retry policy, ordered from specific to general. Retries re-send the
 * same request (same X-CXone-Request-ID). Once retries are spent the failure becomes the caller's
 * answer ({@code cxone-failed}): nothing here is handled by logging alone. {@code continued}, not
 * {@code handled}: a handled exchange would stop every calling route too, and the entry routes
 * still have an answer to write and a result to record.
 */
public class CxoneErrorConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "cxone-errors";

    @Override
    public void configuration() {
        // spotless:off
        CxoneSettings settings = CamelContextHelper.findSingleByType(getContext(), CxoneSettings.class);
        RetryDecisions decisions = CamelContextHelper.findSingleByType(getContext(), RetryDecisions.class);

        routeConfiguration(ID)
                // A 401 from CXone: the token was dropped in cxone-attempt; fetch a new one and try once more.
                .onException(Exception.class)
                    .onWhen(decisions::isStaleToken)
                    .retryWhile(decisions::mayRefreshToken)
                    .redeliveryDelay(0)
                    .onRedelivery(decisions::beforeRetry)
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                    .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                    .continued(true)
                    .to(CxoneRoutes.FAILED)
                .end()
                // 429, 5xx, timeouts, resets: exponential backoff with jitter, capped; Retry-After wins.
                .onException(Exception.class)
                    .onWhen(decisions::isTransient)
                    .maximumRedeliveries(settings.maxAttempts() - 1)
                    .redeliveryDelay(settings.initialBackoff().toMillis())
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .useCollisionAvoidance()
                    .maximumRedeliveryDelay(settings.maxBackoff().toMillis())
                    .onExceptionOccurred(decisions::afterFailedAttempt)
                    .onRedelivery(decisions::beforeRetry)
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                    .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                    .continued(true)
                    .to(CxoneRoutes.FAILED)
                .end()
                // Everything else (other 4xx, auth failures, an open circuit) is answered at once.
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .continued(true)
                    .to(CxoneRoutes.FAILED)
                .end();
        // spotless:on
    }
}
