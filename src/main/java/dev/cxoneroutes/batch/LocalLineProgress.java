package dev.cxoneroutes.batch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One instance's line progress (no STATE_STORE_URL): the results file is the record of finished
 * lines and the in-flight journal under DATA_DIR/state the record of lines handed to CXone
 * (docs/batch.md).
 */
final class LocalLineProgress implements LineProgress {

    private final BatchLineWriter results;
    private final BatchLineWriter journal;
    private final Path journalFile;
    private final String sha256;

    LocalLineProgress(BatchLineWriter results, BatchLineWriter journal, Path journalFile, String sha256) {
        this.results = results;
        this.journal = journal;
        this.journalFile = journalFile;
        this.sha256 = sha256;
    }

    @Override
    public void markSent(int line) throws IOException {
        journal.append(Integer.toString(line));
    }

    @Override
    public void record(int line, String resultLine, boolean success) throws IOException {
        results.append(resultLine);
    }

    @Override
    public void complete(BatchStatus status) throws IOException {
        results.close();
        journal.close();
        InFlightJournal.complete(journalFile, sha256);
    }

    @Override
    public void abandon() {
        closeQuietly(results);
        closeQuietly(journal);
    }

    static void closeQuietly(BatchLineWriter writer) {
        try {
            writer.close();
        } catch (IOException ignored) {
            // the failure being reported is the one that matters
        }
    }
}
