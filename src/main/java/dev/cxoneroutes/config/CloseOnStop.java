package dev.cxoneroutes.config;

import org.apache.camel.support.service.ServiceSupport;

/**
 * Ties a store the service keeps open (audit log, dead-letter file, idempotency store) to the Camel context's
 * lifecycle: closed when the context stops, after the routes that write to it.
 */
public final class CloseOnStop extends ServiceSupport {

    private final AutoCloseable resource;

    public CloseOnStop(AutoCloseable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
