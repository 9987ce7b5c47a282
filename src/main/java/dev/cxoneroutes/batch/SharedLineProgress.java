package dev.cxoneroutes.batch;

import java.io.IOException;

/**
 * Line progress of a drop file shared by several instances: kept in the state store first (fenced
 * by this instance's claim, see {@link SharedDropFiles}), then the result appended to the results
 * file in outbox/. The database is the record: an instance taking the file over rebuilds the
 * results file from it, so a result this instance wrote to the file is always in the database too,
 * and a result it could not keep in the database (it lost the file) never reaches the file.
 */
final class SharedLineProgress implements LineProgress {

    private final SharedDropFiles shared;
    private final String file;
    private final BatchLineWriter results;

    SharedLineProgress(SharedDropFiles shared, String file, BatchLineWriter results) {
        this.shared = shared;
        this.file = file;
        this.results = results;
    }

    @Override
    public void markSent(int line) {
        shared.markSent(file, line);
    }

    @Override
    public void record(int line, String resultLine, boolean success) throws IOException {
        shared.record(file, line, resultLine, success);
        results.append(resultLine);
    }

    /** Syncs the results file before the database says done: done means the file is complete. */
    @Override
    public void complete(BatchStatus status) throws IOException {
        results.close();
        shared.finish(file, status);
    }

    @Override
    public void abandon() {
        LocalLineProgress.closeQuietly(results);
    }
}
