package dev.cxoneroutes.batch;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for the drop-folder route: a file that cannot be processed (not UTF-8, or the
 * results cannot be written) moves to failed/ with {@code <file>.error.txt} beside it; a file cut
 * short by the service stopping stays in the inbox (see {@link BatchFiles#fail}). Not handled, so
 * the file endpoint rolls back and does not move it to processed/. Bad lines never get here: each
 * ends with its own error result (see {@link BatchLineRoutes}).
 */
public class BatchErrorConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "batch-file-errors";

    @Override
    public void configuration() {
        // spotless:off
        routeConfiguration(ID)
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false) // batchFiles.fail logs it, in a line a person can act on
                    .handled(false)
                    .bean("batchFiles", "fail")
                .end();
        // spotless:on
    }
}
