package dev.cxoneroutes.handoff;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.cxone.CxoneRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * The handoff's business step, shared by every entry point: a validated {@link HandoffRequest} in,
 * the IVR's answer (or a problem document) out.
 */
public class HandoffRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // spotless:off
        from("direct:handoff-create-guest")
                .routeId("handoff-create-guest")
                .errorHandler(noErrorHandler()) // invalid requests are answered by the entry route's api-errors
                .to("bean-validator:handoff-request")
                .bean("guestSessionMapping", "toCxoneRequest")
                .to(CxoneRoutes.CALL)
                .filter(exchangeProperty(ExchangeKeys.ERROR_CODE).isNull())
                    .bean("guestSessionMapping", "toAnswer")
                .end();
        // spotless:on
    }
}
