package dev.cxoneroutes.batch;

import dev.cxoneroutes.files.LineAppender;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Appends lines to a drop file's results or in-flight journal from the lines' worker threads: a
 * {@link LineAppender} (whole lines, group commit, synced every {@code syncInterval} off the line
 * threads; an operating-system crash can lose the last interval's lines, docs/batch.md says what
 * that means for the batch) opened after the file's partial last line, if any, is cut off.
 *
 * <p>It took a lock and made a write per line before: with 64 line threads on two cores, a thread
 * holding the lock was often descheduled and the others queued behind it (bench/).
 */
final class BatchLineWriter implements Closeable {

    private final LineAppender appender;

    private BatchLineWriter(LineAppender appender) {
        this.appender = appender;
    }

    /**
     * Opens the file for appending, creating it and its folder. A last line without its newline (a
     * write cut short by a power cut) is cut off first: it is not a record, and the next line must
     * not be glued to it.
     */
    static BatchLineWriter open(Path file, long syncIntervalMillis) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        cutPartialLastLine(file);
        return new BatchLineWriter(LineAppender.open(file, Duration.ofMillis(syncIntervalMillis)));
    }

    void append(String line) throws IOException {
        appender.append(line);
    }

    Path file() {
        return appender.file();
    }

    /** Syncs and closes. */
    @Override
    public void close() throws IOException {
        appender.close();
    }

    static void cutPartialLastLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            long end = length;
            while (end > 0) {
                raf.seek(end - 1);
                if (raf.read() == '\n') {
                    break;
                }
                end--;
            }
            if (end < length) {
                raf.setLength(end);
            }
        }
    }
}
