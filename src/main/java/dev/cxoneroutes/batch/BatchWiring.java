package dev.cxoneroutes.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.state.StateStoreWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bridge drop folder's beans (CONTRACT §5, routes/bridge-drop-folder.camel.yaml). */
public final class BatchWiring {

    private BatchWiring() {}

    private static final Logger LOG = LoggerFactory.getLogger(BatchWiring.class);

    /**
     * A file's lines run on a fixed pool of BATCH_CONCURRENCY threads: the split runs each line to
     * its end on one of them (synchronous), retries included, and reads the next line only when a
     * thread is free, so neither threads nor queued lines grow with the file. How many of them call
     * CXone at once is the adaptive limit's decision (AdaptiveLimit), BATCH_CONCURRENCY its ceiling.
     */
    public static void bind(
            CamelContext context, Settings settings, Path dataDirectory, ObjectMapper json, ResultEvents events)
            throws Exception {
        Registry registry = context.getRegistry();
        String instance = StateStoreWiring.instanceId(settings);
        SharedDropFiles shared = sharedDropFiles(context, settings, instance);
        int ceiling = settings.number("batch.concurrency", 64);
        AdaptiveLimit limit = new AdaptiveLimit(
                settings.number("batch.concurrency-start", 16),
                ceiling,
                newLimit -> LOG.info(
                        "CXone pushed back on drop-file lines (429, 5xx or timeout): drop-file lines at CXone at once now at most {}",
                        newLimit));
        BatchProgress progress = new BatchProgress(settings.number("batch.recent-files", 100), instance, shared, limit);
        registry.bind("batchProgress", progress);
        DropFileClaims claims = new DropFileClaims(shared, progress, context);
        registry.bind("dropFileClaims", claims);
        context.addService(claims, true, false);
        registry.bind(
                "batchFiles",
                new BatchFiles(
                        new DropFolder(dropDirectory(settings, dataDirectory), dataDirectory),
                        progress,
                        events,
                        settings.number("batch.sync-interval-millis", 1000),
                        Clock.systemUTC(),
                        instance,
                        shared));
        registry.bind("batchLines", new BatchLines(json, events));
        registry.bind("batchCallGate", new BatchCallGate(limit));
        registry.bind(
                "batchLineExecutor",
                context.getExecutorServiceManager().newFixedThreadPool(progress, "BatchLine", ceiling));
    }

    /** DROP_DIR: root of inbox/, outbox/, processed/ and failed/; DATA_DIR unless set (CONTRACT §9). */
    static Path dropDirectory(Settings settings, Path dataDirectory) {
        return settings.text("drop.dir")
                .map(dir -> Path.of(dir).toAbsolutePath().normalize())
                .orElse(dataDirectory);
    }

    /**
     * With STATE_STORE_URL the drop folder may be shared: files are claimed, and their lines'
     * progress kept, in that database, a claim lapsing BATCH_CLAIM_TIMEOUT_SECONDS after its
     * instance stopped renewing it. Null without: one instance, local files, as before.
     */
    private static SharedDropFiles sharedDropFiles(CamelContext context, Settings settings, String instance) {
        DataSource database = context.getRegistry().lookupByNameAndType(StateStoreWiring.DATA_SOURCE, DataSource.class);
        if (database == null) {
            return null;
        }
        return new SharedDropFiles(
                database, instance, Duration.ofSeconds(settings.number("batch.claim-timeout-seconds", 30)));
    }
}
