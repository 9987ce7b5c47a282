package dev.cxoneroutes.webhooks;

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
 * Webhook deliveries on their way to the embedded broker: each is appended to a file in
 * {@code DATA_DIR/webhook-spool/} before the answer it belongs to leaves, and a thread of the
 * spool's own moves them onto the outbox queue, many in one broker transaction.
 *
 * <h2>Why</h2>
 * A durable send to the broker is a blocking round trip through the broker's threads and its
 * journal: 1–2 ms on an idle machine, 5–9 ms for one answer in ten at 200 req/s on two busy cores
 * (JFR, bench/README.md). A line appended to a file is one {@code write}. Only with the embedded
 * broker: its journal is in the same {@code DATA_DIR}, also written without an fsync, so the spool
 * keeps what the journal kept (a kill -9 loses nothing, an OS crash may lose the last moments). With
 * an external broker (JMS_BROKER_URL) every delivery still goes straight onto the shared broker,
 * which holds it even if this instance never comes back (CONTRACT §9).
 *
 * <h2>How</h2>
 * Deliveries go to the open segment ({@code spool-<sequence>.jsonl}), one {@code write} each on an
 * {@code O_APPEND} stream. The forwarding thread closes that segment, so that new deliveries start
 * the next one, and sends every closed segment, oldest first, in one transaction; a segment is
 * deleted once its transaction is committed. What is left after a stop or a crash (closed segments
 * and the one that was open) is sent after the next start. A crash between a commit and the delete
 * sends that segment twice: webhooks are delivered at least once, under the same webhook ids.
 * While the broker does not take them, segments stay and are tried again every retry interval.
 */
public final class DeliverySpool implements Closeable {

    /** Sends one segment's deliveries onto the outbox queue, all or none (one transaction). */
    @FunctionalInterface
    public interface Outbox {
        void sendAll(List<String> deliveries) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeliverySpool.class);
    private static final String PREFIX = "spool-";
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final Outbox outbox;
    private final Duration retryInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition held = lock.newCondition();
    /** Segments no longer written to, oldest first: the forwarding thread's work. */
    private final ArrayDeque<Path> closedSegments = new ArrayDeque<>(); // guarded by lock

    private long nextSequence; // guarded by lock
    private Path openSegment; // guarded by lock
    private FileOutputStream openStream; // guarded by lock
    private boolean closing; // guarded by lock
    private Thread forwarder;

    /**
     * @param dir normally {@code DATA_DIR/webhook-spool}; created if needed, and what an earlier run
     *     left there is sent first
     * @param outbox the outbox queue on the embedded broker
     * @param retryInterval how long the forwarding thread waits after the broker refused a segment
     */
    public DeliverySpool(Path dir, Outbox outbox, Duration retryInterval) throws IOException {
        this.dir = dir;
        this.outbox = outbox;
        this.retryInterval = retryInterval;
        Files.createDirectories(dir);
        TreeMap<Long, Path> left = leftBehind(dir);
        closedSegments.addAll(left.values());
        nextSequence = left.isEmpty() ? 1 : left.lastKey() + 1;
        if (!left.isEmpty()) {
            LOG.info("{} webhook spool segment(s) left by the last run in {} are queued again", left.size(), dir);
        }
    }

    /** Starts the forwarding thread. */
    public void start() {
        forwarder = new Thread(this::forwardUntilClosed, "webhook-spool");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    /**
     * Step of results-webhook-enqueue: appends one delivery (its JSON, one line) and returns once the
     * line is written to the file; the forwarding thread queues it on the broker soon after.
     */
    public void hold(String deliveryJson) throws IOException {
        byte[] line = (deliveryJson + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (closing) {
                throw new IOException("the webhook spool is closed");
            }
            if (openStream == null) {
                openSegment = dir.resolve(segmentName(nextSequence++));
                openStream = new FileOutputStream(openSegment.toFile(), true);
            }
            openStream.write(line);
            held.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Segments written and not yet committed on the broker, the open one included. */
    public int segmentsPending() {
        lock.lock();
        try {
            return closedSegments.size() + (openStream == null ? 0 : 1);
        } finally {
            lock.unlock();
        }
    }

    private void forwardUntilClosed() {
        while (true) {
            List<Path> segments;
            lock.lock();
            try {
                while (!closing && closedSegments.isEmpty() && openStream == null) {
                    held.awaitUninterruptibly();
                }
                if (closing) {
                    return;
                }
                closeOpenSegment();
                segments = new ArrayList<>(closedSegments);
            } finally {
                lock.unlock();
            }
            if (!forward(segments)) {
                waitBeforeRetrying();
            }
        }
    }

    /** Holds the lock. New deliveries go to a new segment from now on. */
    private void closeOpenSegment() {
        if (openStream == null) {
            return;
        }
        try {
            openStream.close();
        } catch (IOException e) {
            // Every line was written by a write that returned; closing frees the descriptor only.
            LOG.debug("Closing webhook spool segment {}: {}", openSegment, e.toString());
        }
        closedSegments.addLast(openSegment);
        openStream = null;
        openSegment = null;
    }

    /** Sends the segments, oldest first, each in one transaction, then deletes it. False once one failed. */
    private boolean forward(List<Path> segments) {
        for (Path segment : segments) {
            try {
                List<String> deliveries = readWholeLines(segment);
                if (!deliveries.isEmpty()) {
                    outbox.sendAll(deliveries);
                }
                Files.deleteIfExists(segment);
            } catch (Exception e) {
                LOG.warn(
                        "Webhook deliveries in {} could not be queued on the broker yet ({}); trying again in {} s",
                        segment.getFileName(),
                        e.toString(),
                        retryInterval.toSeconds());
                return false;
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

    private void waitBeforeRetrying() {
        lock.lock();
        try {
            if (!closing) {
                held.await(retryInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The segment's lines. A last line without its newline was cut short by a crash in the middle of
     * a write (an OS crash: a kill -9 does not tear a write) and was never acknowledged: left out.
     */
    static List<String> readWholeLines(Path segment) throws IOException {
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            if (end > start) {
                lines.add(text.substring(start, end));
            }
            start = end + 1;
        }
        return lines;
    }

    /** Zero-padded, so that names sort as their sequence numbers do (for people listing the folder). */
    private static String segmentName(long sequence) {
        String digits = Long.toString(sequence);
        return PREFIX + "0".repeat(Math.max(0, 12 - digits.length())) + digits + SUFFIX;
    }

    private static TreeMap<Long, Path> leftBehind(Path dir) throws IOException {
        TreeMap<Long, Path> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    segments.put(
                            Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())), file);
                } catch (NumberFormatException notOurs) {
                    LOG.warn("Ignored {} in the webhook spool: not a spool segment", file);
                }
            }
        }
        return segments;
    }

    /**
     * Stops the forwarding thread (after the segment it is sending, if any) and closes the open
     * segment; whatever was not committed yet is sent after the next start.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closing = true;
            held.signalAll();
        } finally {
            lock.unlock();
        }
        if (forwarder != null) {
            try {
                forwarder.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            if (openStream != null) {
                openStream.close();
                openStream = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
