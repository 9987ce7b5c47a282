package dev.cxoneroutes.batch;

import java.nio.file.Path;

/**
 * Where a bridge drop file and everything about it lives under DATA_DIR (CONTRACT §5). The inbox,
 * processed/ and failed/ folders are the file route's; these are the files this package writes.
 */
public record DropFolder(Path dataDirectory) {

    /** One result line per processed input line. */
    public Path results(String file) {
        return dataDirectory.resolve("outbox/bridge").resolve(file + ".results.jsonl");
    }

    /** The lines handed to CXone, kept apart from the results so the outbox holds only results. */
    public Path journal(String file) {
        return dataDirectory.resolve("state/bridge-batch").resolve(file + ".inflight");
    }

    /** Why a file was moved to failed/. */
    public Path errorReport(String file) {
        return dataDirectory.resolve("failed/bridge").resolve(file + ".error.txt");
    }
}
