package dev.cxoneroutes.handoff;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.api.JsonBodies;
import dev.cxoneroutes.config.ServiceVersion;
import dev.cxoneroutes.cxone.CxoneSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The handoff's beans: reading the IVR's request and mapping it to CXone's guest session. */
public final class HandoffWiring {

    private HandoffWiring() {}

    public static void bind(CamelContext context, CxoneSettings cxone, ObjectMapper json) {
        Registry registry = context.getRegistry();
        JsonBodies bodies = registry.lookupByNameAndType("jsonBodies", JsonBodies.class);
        registry.bind("handoffRequestReader", new HandoffRequestReader(json, bodies));
        registry.bind("guestSessionMapping", new GuestSessionMapping(json, cxone, ServiceVersion.read()));
    }
}
