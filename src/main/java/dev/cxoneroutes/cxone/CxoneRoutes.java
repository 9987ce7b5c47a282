package dev.cxoneroutes.cxone;

import dev.cxoneroutes.api.ExchangeKeys;
import org.apache.camel.builder.RouteBuilder;

/**
 * The CXone-calling core shared by every flow. {@code cxone-call} owns the retry policy (route
 * configuration {@code cxone-errors}); each retry re-runs {@code cxone-attempt} whole, so the
 * breaker is asked again and a refreshed token is used.
 *
 * <p>In: exchange property {@link CxoneRequest#PROPERTY}. Out: CXone's JSON answer as the body,
 * or, when CXone failed for good, the problem document (see {@code cxone-errors}).
 */
public class CxoneRoutes extends RouteBuilder {

    public static final String CALL = "direct:cxone-call";
    public static final String FAILED = "direct:cxone-failed";
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
                .routeConfigurationId(CxoneErrorConfiguration.ID)
                .process(timer::start)
                .to(ATTEMPT)
                .filter(exchangeProperty(ExchangeKeys.ERROR_CODE).isNull())
                    .process(timer::finish)
                .end();

        from(ATTEMPT)
                .routeId("cxone-attempt")
                .errorHandler(noErrorHandler())
                .process(attempt::admit)
                .doTry()
                    .process(attempt::prepare)
                    // The host is a placeholder: prepare() sets the URL.
                    .to("http://cxone.invalid?throwExceptionOnFailure=true")
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
