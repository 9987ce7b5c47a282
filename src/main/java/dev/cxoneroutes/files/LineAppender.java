package dev.cxoneroutes.files;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends whole lines to one file, durably, from any number of threads: the JSON-lines writer under
 * the audit log and the dead-letter file.
 *
 * <h2>What it guarantees</h2>
 * <ul>
 *   <li><b>No torn or interleaved lines.</b> One thread at a time writes (a lock), and each batch of
 *       complete lines goes to the file in a single {@code write} on a descriptor opened with
 *       {@code O_APPEND}, so it lands at the end of the file even if another appender in this process
 *       has the same file open.</li>
 *   <li><b>Durable when {@link #append} returns</b> (opened without a sync interval; with one, see
 *       {@link #open(Path, Duration)}). The file is synced ({@code fsync}) before any
 *       caller is released, so a line that was acknowledged survives a kill -9 (which never loses
 *       written data anyway) and also a power cut or kernel crash. The file's directory entry is
 *       synced when the file is created.</li>
 *   <li><b>Append-only.</b> Existing bytes are never rewritten, truncated or moved; the file only
 *       grows.</li>
 * </ul>
 *
 * <h2>How it stays fast</h2>
 * Group commit: callers queue their line, and whichever caller holds the lock writes every queued
 * line in one write and one sync, then releases them all. Under load many lines share one fsync,
 * while a lone caller waits for exactly one. A caller that finds the lock taken parks until its line
 * is written (the writer wakes it) or the lock is free again (the writer wakes the oldest caller
 * left); it never queues on the lock itself, where every caller released by a batch had to take the
 * lock in turn just to see that its line was written: with more threads than cores, a chain of
 * hand-offs that held a drop file's 64 line threads up (bench/).
 *
 * <h2>After a crash</h2>
 * A power cut during a write can leave a partial last line. On opening, and after a failed write, a
 * file that does not end in a newline first gets one, so the fragment stays a line of its own (which
 * readers skip as unreadable) and the next record is not glued to it. That is still an append.
 * A write that fails after reaching the disk but before the sync is reported as failed, so a caller
 * that retries may leave the same line twice: records are at-least-once, and carry ids to tell.
 *
 * <h2>Why a {@link FileOutputStream} and not a {@code FileChannel}</h2>
 * An interrupted thread closes a {@code FileChannel} for every thread ({@code ClosedByInterruptException}),
 * and Camel interrupts threads on shutdown and timeouts: one interrupt would silence the audit log.
 * Stream writes are not interruptible.
 *
 * <p>One service instance per file: a second process appending to the same file could interleave
 * lines larger than the kernel writes atomically. Each service instance owns its {@code DATA_DIR}.
 */
public final class LineAppender implements Closeable {

    private final Path file;
    private final FileOutputStream out;
    private final ReentrantLock writer = new ReentrantLock();
    private final Queue<PendingLine> queued = new ConcurrentLinkedQueue<>();
    /** With a sync interval: the syncs, made off the writers' threads; null: every append syncs. */
    private final PeriodicSync periodicSync;

    private boolean mayEndMidLine; // guarded by writer
    private boolean closed; // guarded by writer

    private LineAppender(Path file, FileOutputStream out, Duration syncInterval) throws IOException {
        this.file = file;
        this.out = out;
        this.periodicSync = syncInterval.isZero()
                ? null
                : new PeriodicSync(file.getFileName().toString(), out.getFD(), syncInterval);
        this.mayEndMidLine = true;
    }

    /** Opens (creating it and its folders if needed) the file for appending; existing lines are kept. */
    public static LineAppender open(Path file) throws IOException {
        return open(file, Duration.ZERO);
    }

    /**
     * Opens the file for appending, syncing at most once per {@code syncInterval} (and on close)
     * instead of on every append. Every append is still one complete write that survives the
     * process being killed; an operating-system crash can lose the last interval's lines. The audit
     * log uses this: an fsync per result cost a drop file nine tenths of its throughput (bench/).
     */
    public static LineAppender open(Path file, Duration syncInterval) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        boolean created = !Files.exists(file);
        FileOutputStream out = new FileOutputStream(file.toFile(), true);
        if (created) {
            syncDirectory(folder);
        }
        return new LineAppender(file, out, syncInterval);
    }

    public Path file() {
        return file;
    }

    /**
     * Appends the line (a newline is added) and returns once it is written (and synced, unless a
     * sync interval was given and has not yet passed).
     *
     * @param line one line of text: it must not contain a line break
     * @throws IOException when the line could not be written or synced; it may still have been written
     */
    public void append(String line) throws IOException {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("A line must not contain a line break");
        }
        PendingLine mine = new PendingLine((line + '\n').getBytes(StandardCharsets.UTF_8));
        queued.add(mine);
        boolean interrupted = false;
        while (!mine.settled) {
            if (writer.tryLock()) {
                try {
                    if (!mine.settled) {
                        writeQueued();
                    }
                } finally {
                    unlockAndWakeNextWriter();
                }
            } else {
                LockSupport.park(this); // a spurious return only goes round again
                // Appends are not interruptible (a stream, above); an interrupted thread's park
                // would return at once, again and again, while the write under way lasts.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw new IOException("Could not append to " + file + ": " + mine.failure.getMessage(), mine.failure);
        }
    }

    /** Lines queued while the lock was held: their oldest caller writes them next. */
    private void unlockAndWakeNextWriter() {
        writer.unlock();
        PendingLine next = queued.peek();
        if (next != null) {
            LockSupport.unpark(next.caller);
        }
    }

    /** Writes every queued line, this caller's included, in one write and one sync. Holds the lock. */
    private void writeQueued() {
        List<PendingLine> batch = new ArrayList<>();
        int size = 0;
        for (PendingLine next = queued.poll(); next != null; next = queued.poll()) {
            batch.add(next);
            size += next.bytes.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (PendingLine pending : batch) {
            System.arraycopy(pending.bytes, 0, all, at, pending.bytes.length);
            at += pending.bytes.length;
        }
        IOException failure = null;
        try {
            if (closed) {
                throw new IOException("the file is closed");
            }
            if (mayEndMidLine) {
                endTornLastLine();
                mayEndMidLine = false;
            }
            out.write(all);
            if (periodicSync == null) {
                out.getFD().sync();
            } else {
                periodicSync.written();
            }
        } catch (IOException e) {
            mayEndMidLine = true;
            failure = e;
        } catch (RuntimeException e) {
            // Every caller in the batch must hear of it, not only the one whose thread ran the write.
            mayEndMidLine = true;
            failure = new IOException(e);
        }
        for (PendingLine pending : batch) {
            pending.failure = failure;
            pending.settled = true;
            LockSupport.unpark(pending.caller);
        }
    }

    /** Gives a partial last line (left by a crash or a failed write) its newline. */
    private void endTornLastLine() throws IOException {
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            if (length == 0) {
                return;
            }
            reader.seek(length - 1);
            if (reader.read() != '\n') {
                out.write('\n');
            }
        }
    }

    /** Waits for a write in progress, then closes the file. Appending afterwards fails. */
    @Override
    public void close() throws IOException {
        writer.lock();
        try {
            if (!closed) {
                closed = true;
                if (periodicSync != null) {
                    periodicSync.close();
                }
                out.close();
            }
        } finally {
            unlockAndWakeNextWriter(); // a caller parked meanwhile hears that the file is closed
        }
    }

    /** Makes a newly created file's name survive a crash, not only its content. */
    private static void syncDirectory(Path folder) {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some platforms (Windows) cannot open a directory; the file's own sync still holds.
        }
    }

    /** One caller's line. The writer sets failure before settled, which publishes it to the caller. */
    private static final class PendingLine {
        final byte[] bytes;
        final Thread caller = Thread.currentThread();
        volatile boolean settled;
        IOException failure;

        PendingLine(byte[] bytes) {
            this.bytes = bytes;
        }
    }
}
