package dev.cxoneroutes.bridge;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.cxone.CxoneRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * The bridge's business step, shared by every entry point (HTTP, JMS, drop folder): a
 * {@link BridgeCommand} in, the caller's answer (or a problem document) out.
 */
public class BridgeRoutes extends RouteBuilder {

    public static final String CALL_CXONE = "direct:bridge-call-cxone";

    @Override
    public void configure() {
        // spotless:off
        // Processors calling the bean directly, not bean(): see CxoneRoutes.
        BridgeMapping mapping = getContext().getRegistry().lookupByNameAndType("bridgeMapping", BridgeMapping.class);

        from(CALL_CXONE)
                .routeId("bridge-call-cxone")
                .errorHandler(noErrorHandler()) // invalid commands are answered by the entry route's error handling
                .to("bean-validator:bridge-command")
                .process(mapping::toCxoneRequest)
                .to(CxoneRoutes.CALL)
                .filter(exchangeProperty(ExchangeKeys.ERROR_CODE).isNull())
                    .process(mapping::toAnswer)
                .end();
        // spotless:on
    }
}
