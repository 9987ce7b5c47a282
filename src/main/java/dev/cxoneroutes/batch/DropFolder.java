package dev.cxoneroutes.batch;

import java.nio.file.Path;

/**
 * Where a bridge drop file and everything about it lives (CONTRACT §5, §9): inbox/, outbox/,
 * processed/ and failed/ under DROP_DIR, which several instances may share; this instance's own
 * journal under its DATA_DIR. The inbox, processed/ and failed/ folders are the file route's; these
 * are the files this package writes.
 */
public record DropFolder(Path dropDirectory, Path dataDirectory) {

    /** One result line per processed input line. */
    public Path results(String file) {
        return dropDirectory.resolve("outbox/bridge").resolve(file + ".results.jsonl");
    }

    /**
     * The lines handed to CXone, kept apart from the results so the outbox holds only results. One
     * instance on its own only: with a shared drop folder this record is in the state store.
     */
    public Path journal(String file) {
        return dataDirectory.resolve("state/bridge-batch").resolve(file + ".inflight");
    }

    /**
     * Where the file route moves a finished input. Created before a file runs: two instances
     * finishing files at the same moment must not race to create it (the route's move would fail).
     */
    public Path processed() {
        return dropDirectory.resolve("processed/bridge");
    }

    /** Why a file was moved to failed/. */
    public Path errorReport(String file) {
        return dropDirectory.resolve("failed/bridge").resolve(file + ".error.txt");
    }
}
