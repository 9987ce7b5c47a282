package dev.cxoneroutes.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.cxone.CxoneSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The bridge's beans (CONTRACT §3-5): every entry point reads with {@code bridgeRequestReader},
 * then calls {@code direct:bridge-call-cxone}, which maps with {@code bridgeMapping}.
 */
public final class BridgeWiring {

    private BridgeWiring() {}

    public static void bind(CamelContext context, CxoneSettings cxone, ObjectMapper json) {
        Registry registry = context.getRegistry();
        registry.bind(
                "bridgeRequestReader",
                new BridgeRequestReader(registry.lookupByNameAndType("jsonBodies", JsonBodies.class)));
        registry.bind("bridgeMapping", new BridgeMapping(json, cxone));
    }
}
