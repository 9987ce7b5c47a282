package dev.cxoneroutes.batch;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop files running now and the last few that finished, for {@code GET /api/v1/batches} and
 * the periodic progress log line (CONTRACT §5). Kept in memory: after a restart an interrupted file
 * shows up again as soon as it resumes. With a shared drop folder (STATE_STORE_URL) the listing is
 * every instance's, read from the state store, this instance's running files with their live
 * figures (CONTRACT §9).
 */
public class BatchProgress {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProgress.class);

    private final Map<String, BatchRun> running = new ConcurrentHashMap<>();
    private final Deque<BatchStatus> recent = new ArrayDeque<>(); // newest first, guarded by itself
    private final int recentFiles;
    private final String instance;
    /** Null for one instance on its own. */
    private final SharedDropFiles shared;
    /** How many lines may be at CXone at once, shown in the progress line. */
    private final AdaptiveLimit limit;

    public BatchProgress(int recentFiles, String instance, SharedDropFiles shared, AdaptiveLimit limit) {
        this.recentFiles = recentFiles;
        this.instance = instance;
        this.shared = shared;
        this.limit = limit;
    }

    /** The run of this file on this instance, if it is running here. */
    BatchRun running(String file) {
        return running.get(file);
    }

    /** Whether this instance is working on a drop file now (webhook deliveries then yield to it). */
    public boolean anyRunning() {
        return !running.isEmpty();
    }

    void started(BatchRun run) {
        running.put(run.file(), run);
    }

    void ended(BatchRun run) {
        running.remove(run.file(), run);
        remember(run.status());
    }

    /** A file that failed before any line ran (not UTF-8). */
    void failedBeforeStart(String file, Instant at) {
        remember(new BatchStatus(
                file, BatchRun.State.FAILED.wireName, 0, 0, 0, 0, at.toString(), at.toString(), instance));
    }

    /** Running files (oldest first), then finished ones (newest first). */
    public List<BatchStatus> list() {
        if (shared != null) {
            return listShared();
        }
        List<BatchStatus> all = new ArrayList<>();
        running.values().stream()
                .map(BatchRun::status)
                .sorted(Comparator.comparing(BatchStatus::startedAt))
                .forEach(all::add);
        synchronized (recent) {
            all.addAll(recent);
        }
        return all;
    }

    private List<BatchStatus> listShared() {
        Map<String, BatchRun> mine = Map.copyOf(running);
        List<BatchStatus> all = new ArrayList<>();
        for (BatchStatus status : shared.list(recentFiles)) {
            BatchRun run = mine.get(status.file());
            all.add(run != null && status.state().equals(BatchRun.State.IN_PROGRESS.wireName) ? run.status() : status);
        }
        return all;
    }

    /**
     * One line per running file, with the lines at CXone and the adaptive limit (shared by every
     * file of this instance): whether the limit or something else holds a file back.
     */
    public void logRunning() {
        running.values().forEach(run -> {
            BatchStatus status = run.status();
            LOG.info(
                    "Batch {} in progress: {} lines read, {} succeeded, {} failed, {} lines/s; lines at CXone: {} (limit {} of {})",
                    status.file(),
                    status.linesRead(),
                    status.succeeded(),
                    status.failed(),
                    status.linesPerSecond(),
                    limit.inFlight(),
                    limit.limit(),
                    limit.ceiling());
        });
    }

    private void remember(BatchStatus status) {
        synchronized (recent) {
            recent.addFirst(status);
            while (recent.size() > recentFiles) {
                recent.removeLast();
            }
        }
    }
}
