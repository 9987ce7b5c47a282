package dev.cxoneroutes.batch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop folder's read lock (the file endpoint's {@code readLock=idempotent-changed}, keyed by
 * file name): the file consumer takes a file only once {@link #add} says this instance holds it,
 * and gives it back with {@link #remove} after moving it (or when the run ends without a move).
 *
 * <p>One instance on its own holds every file (nothing to share; the read lock is then just the
 * "changed" check). With a shared drop folder, holding a file is a claim in the state store ({@link
 * SharedDropFiles}) whose lease this class renews every third of BATCH_CLAIM_TIMEOUT_SECONDS while
 * the file is held; a renewal that finds the file taken over stops the run.
 *
 * <p>Why not camel-sql's {@code JdbcOrphanLockAwareIdempotentRepository}: its rows record no owner,
 * so an instance that was frozen and wakes up after a takeover cannot be stopped from writing (no
 * fencing) and {@code GET /api/v1/batches} could not say which instance has a file; and it would
 * bring camel-sql and Spring JDBC for what three statements do here.
 */
public class DropFileClaims extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(DropFileClaims.class);

    /** Null for one instance on its own. */
    private final SharedDropFiles shared;

    private final BatchProgress progress;
    private final CamelContext context;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService renewals;

    public DropFileClaims(SharedDropFiles shared, BatchProgress progress, CamelContext context) {
        this.shared = shared;
        this.progress = progress;
        this.context = context;
    }

    @Override
    public boolean add(String file) {
        if (shared == null) {
            return true;
        }
        try {
            if (!shared.claim(file)) {
                return false;
            }
        } catch (RuntimeException unavailable) {
            LOG.debug("Cannot claim drop file {} now: {}", file, unavailable.getMessage());
            return false;
        }
        held.add(file);
        return true;
    }

    @Override
    public boolean contains(String file) {
        return held.contains(file);
    }

    @Override
    public boolean remove(String file) {
        if (shared == null) {
            return true;
        }
        held.remove(file);
        try {
            shared.release(file);
        } catch (RuntimeException unavailable) {
            // the lease runs out on its own
            LOG.warn(
                    "Could not give drop file {} back at once (its claim lapses on its own): {}",
                    file,
                    unavailable.getMessage());
        }
        return true;
    }

    @Override
    public boolean confirm(String file) {
        return true;
    }

    @Override
    public void clear() {
        held.forEach(this::remove);
    }

    @Override
    protected void doStart() {
        if (shared == null) {
            return;
        }
        long periodMillis = Math.max(200, shared.lease().toMillis() / 3);
        renewals = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "DropFileClaimRenewal");
        renewals.scheduleWithFixedDelay(this::renewAll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (renewals != null) {
            context.getExecutorServiceManager().shutdownNow(renewals);
            renewals = null;
        }
    }

    private void renewAll() {
        for (String file : held) {
            BatchRun run = progress.running(file);
            try {
                if (!shared.renew(file, run == null ? null : run.status())) {
                    held.remove(file);
                    if (run != null) {
                        run.claimLost();
                    }
                    LOG.warn(
                            "Drop file {} was taken over by another instance; this instance stops working on it", file);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the claim on drop file {} (will try again): {}", file, e.getMessage());
            }
        }
    }
}
