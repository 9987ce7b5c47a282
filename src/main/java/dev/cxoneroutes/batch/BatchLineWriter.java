package dev.cxoneroutes.batch;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends lines to a drop file's results or in-flight journal from the lines' worker threads.
 *
 * <ul>
 *   <li><b>Whole lines.</b> Each line is one {@code write} of its bytes and newline, under a lock, on a
 *       descriptor opened for appending: lines never tear or interleave, and a write that returned
 *       is in the kernel, so it survives the process being killed (kill -9, OOM, JVM crash).</li>
 *   <li><b>Synced every {@code syncInterval}, not every line.</b> An fsync per line would cap a file at
 *       a few hundred lines a second; instead the writer that finds the last sync older than the
 *       interval syncs, and closing syncs. An operating system crash or power cut can therefore lose
 *       the lines of the last interval (docs/batch.md says what that means for the batch).</li>
 * </ul>
 *
 * A stream, not a {@code FileChannel}: an interrupted thread would close a channel for everyone.
 */
final class BatchLineWriter implements Closeable {

    private final Path file;
    private final FileOutputStream out;
    private final long syncIntervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastSync = System.nanoTime(); // guarded by lock

    private BatchLineWriter(Path file, FileOutputStream out, long syncIntervalNanos) {
        this.file = file;
        this.out = out;
        this.syncIntervalNanos = syncIntervalNanos;
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
                file, new FileOutputStream(file.toFile(), true), TimeUnit.MILLISECONDS.toNanos(syncIntervalMillis));
    }

    void append(String line) throws IOException {
        byte[] bytes = (line + '\n').getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(bytes);
            long now = System.nanoTime();
            if (now - lastSync >= syncIntervalNanos) {
                out.getFD().sync();
                lastSync = now;
            }
        } finally {
            lock.unlock();
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
