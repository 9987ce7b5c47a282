package dev.cxoneroutes.files;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines kept in numbered segment files ({@code spool-<sequence>.jsonl}) until a slower store has
 * taken them: the webhook spool in front of the embedded broker, the write-ahead log in front of
 * the idempotency store. A caller's {@link #append} returns once its line is written, one
 * {@code write} on an {@code O_APPEND} stream (a kill -9 keeps it; it is not fsynced, so an OS
 * crash may lose the last moments, as with the stores it stands in front of). A thread of the
 * spool's own closes the segment being written, so that new lines start the next one, and hands
 * every closed segment, oldest first, to the {@link Drain}; a segment is deleted once its drain
 * returned. A drain that throws is tried again, with the same segment, after the retry interval.
 *
 * <p>What a stopped or killed run left is drained first after the next start; a drain may so see
 * a segment twice (killed between its drain and the delete): the stores behind take lines at
 * least once.
 *
 * <p>Not a {@link LineAppender}: that one keeps one file for good and fsyncs it (per append, or
 * with a sync thread per file); a spool's segments live for milliseconds and are deleted once
 * taken, so they are written the same way (one {@code write} of whole lines on an
 * {@code O_APPEND} stream) without either.
 */
public final class SegmentSpool implements Closeable {

    /** Takes one segment, all its lines or none ({@link #readWholeLines} reads them, if needed). */
    @FunctionalInterface
    public interface Drain {
        void take(Path segment) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSpool.class);
    private static final String PREFIX = "spool-";
    private static final String SUFFIX = ".jsonl";
    /** A segment this large is closed by the append that filled it, whether or not the drain is ready. */
    static final long MAX_SEGMENT_BYTES = 1 << 20;

    private final Path dir;
    private final String name;
    private final Drain drain;
    private final Duration pause;
    private final Duration retryInterval;
    private final ReentrantLock lock = new ReentrantLock();
    /** The drainer waits on it while there is nothing to drain: signalled by a new segment's first line. */
    private final Condition appended = lock.newCondition();
    /** The drainer's pauses wait on it: only closing cuts them short, not every line appended. */
    private final Condition closed = lock.newCondition();
    /** Segments no longer written to, oldest first: the draining thread's work. */
    private final ArrayDeque<Path> closedSegments = new ArrayDeque<>(); // guarded by lock

    private long nextSequence; // guarded by lock
    private Path openSegment; // guarded by lock
    private FileOutputStream openStream; // guarded by lock
    private long openBytes; // guarded by lock
    private boolean closing; // guarded by lock
    private volatile Thread drainer;
    /** The last drain failed (its warning was logged): only the draining thread reads and writes it. */
    private boolean failing;

    /**
     * @param dir created if needed; the segments an earlier run left there are drained first
     * @param name of the draining thread, and of the spool in logs
     * @param pause how long the thread lets lines gather before it closes a segment and drains:
     *     zero to drain as soon as a line is appended, longer to hand the drain fewer, larger segments
     * @param retryInterval how long the thread waits after a drain failed
     */
    public SegmentSpool(Path dir, String name, Drain drain, Duration pause, Duration retryInterval) throws IOException {
        this.dir = dir;
        this.name = name;
        this.drain = drain;
        this.pause = pause;
        this.retryInterval = retryInterval;
        Files.createDirectories(dir);
        TreeMap<Long, Path> left = segmentsIn(dir);
        closedSegments.addAll(left.values());
        nextSequence = left.isEmpty() ? 1 : left.lastKey() + 1;
        if (!left.isEmpty()) {
            LOG.info("{}: {} segment(s) left by the last run in {} are taken first", name, left.size(), dir);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Starts the draining thread. */
    public void start() {
        drainer = new Thread(this::drainUntilClosed, name);
        drainer.setDaemon(true);
        drainer.start();
    }

    /** Appends one line (without a line break of its own) and returns once it is written. */
    public void append(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (closing) {
                throw new IOException(name + " is closed");
            }
            boolean firstLineOfSegment = openStream == null;
            if (firstLineOfSegment) {
                openSegment = dir.resolve(segmentName(nextSequence++));
                openStream = new FileOutputStream(openSegment.toFile(), true);
                openBytes = 0;
            }
            try {
                openStream.write(bytes);
            } catch (IOException e) {
                // Part of the line may be in the file (disk full): closing the segment leaves it a
                // torn last line, skipped when read, instead of the start of the next line.
                closeOpenSegment();
                throw e;
            }
            openBytes += bytes.length;
            if (openBytes >= MAX_SEGMENT_BYTES) {
                // The drain is behind (its store is slow or full): segments stay small enough to
                // be read whole.
                closeOpenSegment();
            }
            if (firstLineOfSegment) {
                // The drainer only waits (on this) while no segment is open: a signal per line
                // woke it, to take the lock and wait again, once for every line.
                appended.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} was called: a drain that waits for its store should give up. */
    public boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /** Segments written and not yet drained, the open one included. */
    public int segmentsPending() {
        lock.lock();
        try {
            return closedSegments.size() + (openStream == null ? 0 : 1);
        } finally {
            lock.unlock();
        }
    }

    private void drainUntilClosed() {
        while (true) {
            lock.lock();
            try {
                while (!closing && closedSegments.isEmpty() && openStream == null) {
                    appended.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            waitUnlessClosing(pause); // lets lines gather into one segment
            List<Path> segments;
            lock.lock();
            try {
                if (closing) {
                    return;
                }
                closeOpenSegment();
                segments = new ArrayList<>(closedSegments);
            } finally {
                lock.unlock();
            }
            if (!drainAll(segments)) {
                waitUnlessClosing(retryInterval);
            }
        }
    }

    /** Holds the lock. New lines go to a new segment from now on. */
    private void closeOpenSegment() {
        if (openStream == null) {
            return;
        }
        try {
            openStream.close();
        } catch (IOException e) {
            // Every line was written by a write that returned; closing frees the descriptor only.
            LOG.debug("{}: closing {}: {}", name, openSegment, e.toString());
        }
        closedSegments.addLast(openSegment);
        openStream = null;
        openSegment = null;
    }

    /** Drains the segments, oldest first, deleting each after its drain. False once one failed. */
    private boolean drainAll(List<Path> segments) {
        for (Path segment : segments) {
            try {
                drain.take(segment);
                Files.deleteIfExists(segment);
            } catch (Exception | Error e) {
                // An Error too: a dead draining thread would leave every later line undelivered.
                if (isClosing()) {
                    return false; // the drain gave up because the spool is stopping: kept for the next start
                }
                if (!failing) {
                    LOG.warn(
                            "{}: the lines of {} could not be taken yet ({}); they stay on disk and are tried"
                                    + " again every {} ms",
                            name,
                            segment.getFileName(),
                            e.toString(),
                            retryInterval.toMillis());
                }
                failing = true;
                return false;
            }
            if (failing) {
                LOG.info("{}: lines are taken again", name);
                failing = false;
            }
            lock.lock();
            try {
                closedSegments.remove(segment);
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    private void waitUnlessClosing(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!closing && nanos > 0) {
                nanos = closed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The segment's lines. A last line without its line break was cut short by a crash in the
     * middle of a write (an OS crash: a kill -9 does not tear a write), and never acknowledged to
     * anyone: left out.
     */
    public static List<String> readWholeLines(Path segment) throws IOException {
        // Split on the line-break byte before decoding: a torn line may end inside a multi-byte
        // character, which would fail the decoding of the whole file.
        byte[] bytes = Files.readAllBytes(segment);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int end = 0; end < bytes.length; end++) {
            if (bytes[end] == '\n') {
                if (end > start) {
                    lines.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
                }
                start = end + 1;
            }
        }
        return lines;
    }

    /** The segment files in the folder, oldest first (none when there is no such folder). */
    public static List<Path> segments(Path dir) throws IOException {
        return Files.isDirectory(dir) ? new ArrayList<>(segmentsIn(dir).values()) : List.of();
    }

    /** Zero-padded, so that names sort as their sequence numbers do (for people listing the folder). */
    private static String segmentName(long sequence) {
        String digits = Long.toString(sequence);
        return PREFIX + "0".repeat(Math.max(0, 12 - digits.length())) + digits + SUFFIX;
    }

    private static TreeMap<Long, Path> segmentsIn(Path dir) throws IOException {
        TreeMap<Long, Path> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                try {
                    segments.put(
                            Long.parseLong(fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length())),
                            file);
                } catch (NumberFormatException notOurs) {
                    LOG.warn("Ignored {}: not a spool segment", file);
                }
            }
        }
        return segments;
    }

    /**
     * Stops the draining thread (after the drain under way, if any) and closes the open segment;
     * what was not drained is drained after the next start.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closing = true;
            appended.signalAll();
            closed.signalAll();
        } finally {
            lock.unlock();
        }
        if (drainer != null) {
            try {
                drainer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            closeOpenSegment();
        } finally {
            lock.unlock();
        }
    }
}
