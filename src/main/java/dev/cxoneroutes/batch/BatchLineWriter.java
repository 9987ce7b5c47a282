package dev.cxoneroutes.batch;

import dev.cxoneroutes.files.PeriodicSync;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends lines to a drop file's results or in-flight journal from the lines' worker threads.
 *
 * <ul>
 *   <li><b>Whole lines.</b> Each line is one {@code write} of its bytes and newline, under a lock, on a
 *       descriptor opened for appending: lines never tear or interleave, and a write that returned
 *       is in the kernel, so it survives the process being killed (kill -9, OOM, JVM crash).</li>
 *   <li><b>Synced every {@code syncInterval}, not every line,</b> by a {@link PeriodicSync} of its own,
 *       so no line waits for the disk (an fsync per line would cap a file at a few hundred lines a
 *       second, and one made under the lock stalled every line thread), and closing syncs. An
 *       operating system crash or power cut can therefore lose the lines of the last interval
 *       (docs/batch.md says what that means for the batch).</li>
 * </ul>
 *
 * A stream, not a {@code FileChannel}: an interrupted thread would close a channel for everyone.
 */
final class BatchLineWriter implements Closeable {

    private final Path file;
    private final FileOutputStream out;
    /** The syncs, made off the line threads; null with a zero interval: every line is synced. */
    private final PeriodicSync periodicSync;

    private final ReentrantLock lock = new ReentrantLock();

    private BatchLineWriter(Path file, FileOutputStream out, Duration syncInterval) throws IOException {
        this.file = file;
        this.out = out;
        this.periodicSync = syncInterval.isZero()
                ? null
                : new PeriodicSync(file.getFileName().toString(), out.getFD(), syncInterval);
    }

    /**
     * Opens the file for appending, creating it and its folder. A last line without its newline (a
     * write cut short by a power cut) is cut off first: it is not a record, and the next line must
     * not be glued to it.
     */
    static BatchLineWriter open(Path file, long syncIntervalMillis) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        cutPartialLastLine(file);
        return new BatchLineWriter(
                file, new FileOutputStream(file.toFile(), true), Duration.ofMillis(syncIntervalMillis));
    }

    void append(String line) throws IOException {
        byte[] bytes = (line + '\n').getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(bytes);
            if (periodicSync == null) {
                out.getFD().sync();
            }
        } finally {
            lock.unlock();
        }
        if (periodicSync != null) {
            periodicSync.written();
        }
    }

    Path file() {
        return file;
    }

    /** Syncs and closes. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (periodicSync != null) {
                periodicSync.close();
            }
            out.getFD().sync();
            out.close();
        } finally {
            lock.unlock();
        }
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
