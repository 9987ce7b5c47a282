package dev.cxoneroutes.batch;

import java.io.IOException;

/**
 * Where a drop file's line progress is kept while it runs: which lines were handed to CXone, and
 * each line's result. Local files for one instance ({@link LocalLineProgress}); the shared state
 * store plus the results file for several ({@link SharedLineProgress}). Called from the file's line
 * threads.
 */
interface LineProgress {

    /** Notes the line as handed to CXone; returns once the note is kept. */
    void markSent(int line) throws IOException;

    /** Keeps the line's result line (the text that goes to outbox/). */
    void record(int line, String resultLine, boolean success) throws IOException;

    /** Every line has its result: syncs and closes, and marks the progress complete. */
    void complete(BatchStatus status) throws IOException;

    /** The file could not be finished: closes what is open, keeping what was written. */
    void abandon();
}
