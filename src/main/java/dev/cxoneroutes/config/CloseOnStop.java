package dev.cxoneroutes.config;

import java.io.Closeable;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Ties a file the service keeps open (the audit log, the dead-letter file) to the Camel context's
 * lifecycle: closed when the context stops, after the routes that write to it.
 */
final class CloseOnStop extends ServiceSupport {

    private final Closeable resource;

    CloseOnStop(Closeable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
