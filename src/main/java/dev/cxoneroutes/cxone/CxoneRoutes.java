package dev.cxoneroutes.cxone;

import dev.cxoneroutes.api.ExchangeKeys;
import org.apache.camel.builder.RouteBuilder;

/**
 * The CXone-calling core shared by every flow. {@code cxone-call} times the call; {@code cxone-retry}
 * owns the retry policy (route configuration {@code cxone-errors}); each retry re-runs
 * {@code cxone-attempt} whole, so the breaker is asked again and a refreshed token is used.
 *
 * <p>The retry policy sits on a route of one step: Camel copies the whole exchange before every
 * step of a route that may redeliver, and with the timer's steps in the same route each call paid
 * for four copies (two thirds of the property-map copying in the latency profile), not one.
 *
 * <p>In: exchange property {@link CxoneRequest#PROPERTY}. Out: CXone's JSON answer as the body,
 * or, when CXone failed for good, the problem document (see {@code cxone-errors}).
 */
public class CxoneRoutes extends RouteBuilder {

    public static final String CALL = "direct:cxone-call";
    public static final String FAILED = "direct:cxone-failed";
    private static final String RETRY = "direct:cxone-retry";
    private static final String ATTEMPT = "direct:cxone-attempt";

    @Override
    public void configure() {
        // spotless:off
        // Processors calling the beans directly, not bean(): Camel's reflective bean invocation cost
        // every call to CXone six lookups and reflective calls (bench/run-batch-bench.sh's profile).
        CxoneCallTimer timer = getContext().getRegistry().lookupByNameAndType("cxoneCallTimer", CxoneCallTimer.class);
        CxoneAttempt attempt = getContext().getRegistry().lookupByNameAndType("cxoneAttempt", CxoneAttempt.class);

        from(CALL)
                .routeId("cxone-call")
                .errorHandler(noErrorHandler()) // the retry policy is cxone-retry's; failures are answers by then
                .process(timer::start)
                .to(RETRY)
                .filter(exchangeProperty(ExchangeKeys.ERROR_CODE).isNull())
                    .process(timer::finish)
                .end();

        from(RETRY)
                .routeId("cxone-retry")
                .routeConfigurationId(CxoneErrorConfiguration.ID)
                .to(ATTEMPT);

        from(ATTEMPT)
                .routeId("cxone-attempt")
                .errorHandler(noErrorHandler())
                .process(attempt::admit)
                .doTry()
                    .process(attempt::prepare)
                    // The host is a placeholder: prepare() sets the URL. The method is the endpoint's,
                    // not a header's, which camel-http would convert and filter on every call.
                    .to("http://cxone.invalid?throwExceptionOnFailure=true&httpMethod=POST&headerFilterStrategy=#cxoneHeaders")
                    .process(attempt::succeeded)
                .doCatch(Exception.class)
                        .process(attempt::failed)
                .end();

        from(FAILED)
                .routeId("cxone-failed")
                .process(CxoneCallTimer::stop)
                .process("failureAnswer");
        // spotless:on
    }
}
