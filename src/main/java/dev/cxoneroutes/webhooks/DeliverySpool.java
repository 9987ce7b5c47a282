package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.files.SegmentSpool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Webhook deliveries on their way to the embedded broker: each is appended to
 * {@code DATA_DIR/webhook-spool/} before the answer it belongs to leaves, and the spool's own
 * thread moves them onto the outbox queue, up to {@link #MAX_PER_TRANSACTION} in one broker
 * transaction ({@link SegmentSpool}).
 *
 * <p>Why: a durable send to the broker is a blocking round trip through the broker's threads and
 * its journal, which an answer waited for: on an idle machine at 200 req/s half the answers waited
 * over 1 ms, one in ten over 4 ms, one in a hundred over 9 ms (JFR, bench/README.md). A line
 * appended to a file is one {@code write}. Only with the embedded broker: its journal is in the
 * same {@code DATA_DIR}, also written without an fsync, so the spool keeps what the journal kept (a
 * kill -9 loses nothing, an OS crash may lose the last moments). With an external broker
 * (JMS_BROKER_URL) deliveries go straight onto the shared broker, which holds them even if this
 * instance never comes back (CONTRACT §9). A segment sent again after a kill (between its commit
 * and its delete) is not queued twice: each delivery carries its webhook id as the broker's
 * duplicate id.
 */
public final class DeliverySpool implements Closeable {

    /**
     * Puts deliveries (a chunk of a segment) on the outbox queue, each under its duplicate id: a
     * chunk sent again after a kill between its commit and its segment's delete is recognised by
     * the broker as sent already, and none of it is queued twice.
     */
    @FunctionalInterface
    public interface Outbox {
        void sendAll(List<Queued> deliveries) throws Exception;
    }

    /**
     * @param duplicateId the delivery's webhook id (unique per event and URL); null for a line that
     *     is not a delivery, queued as it is for results-webhook-deliver to report
     * @param json the delivery, as results-webhook-deliver reads it
     */
    public record Queued(String duplicateId, String json) {}

    /** How {@link WebhookDelivery#toJson} begins. */
    private static final String ID_FIELD = "{\"webhook_id\":\"";

    /** Deliveries waiting on the queue for a consumer, beyond which the spool keeps new ones on disk. */
    public static final int MAX_READY_ON_QUEUE = 2_000;
    /** Deliveries sent in one transaction at most. */
    public static final int MAX_PER_TRANSACTION = 500;
    /** How often a spool held back by a full queue looks again. */
    private static final Duration ROOM_POLL = Duration.ofMillis(20);
    /**
     * How long a segment gathers deliveries before the spool's thread sends it. Sending each as
     * soon as it was written made, at 200 req/s, a segment file (created, read, deleted) and a
     * broker transaction per answer; a webhook waits this much longer instead.
     */
    static final Duration GATHER = Duration.ofMillis(20);

    private final SegmentSpool spool;
    private final Outbox outbox;
    private final IntSupplier readyOnQueue;
    private final int maxReady;
    private final int maxPerTransaction;

    /**
     * @param dir normally {@code DATA_DIR/webhook-spool}; what an earlier run left there is queued first
     * @param readyOnQueue deliveries on the queue waiting for a consumer now (not those scheduled
     *     for a later retry)
     * @param retryInterval how long the spool waits after the broker refused a segment
     */
    public DeliverySpool(Path dir, Outbox outbox, IntSupplier readyOnQueue, Duration retryInterval) throws IOException {
        this(dir, outbox, readyOnQueue, retryInterval, MAX_READY_ON_QUEUE, MAX_PER_TRANSACTION, GATHER);
    }

    DeliverySpool(
            Path dir,
            Outbox outbox,
            IntSupplier readyOnQueue,
            Duration retryInterval,
            int maxReady,
            int maxPerTransaction,
            Duration gather)
            throws IOException {
        this.outbox = outbox;
        this.readyOnQueue = readyOnQueue;
        this.maxReady = maxReady;
        this.maxPerTransaction = maxPerTransaction;
        this.spool = new SegmentSpool(dir, "webhook-spool", this::send, gather, retryInterval);
    }

    /**
     * Puts the segment's deliveries on the queue, at most {@link #MAX_PER_TRANSACTION} per
     * transaction, and only while fewer than {@link #MAX_READY_ON_QUEUE} wait there for a consumer:
     * a backlog (a slow receiver, a drop file's events paced behind its lines) waits here on disk,
     * not in the broker's memory, which is the service's heap. The chunks are cut at the same lines
     * every time, so a chunk sent again after a kill is recognised whole as a duplicate.
     */
    private void send(Path segment) throws Exception {
        List<String> lines = SegmentSpool.readWholeLines(segment);
        for (int from = 0; from < lines.size(); from += maxPerTransaction) {
            waitForRoomOnQueue();
            List<Queued> deliveries = new ArrayList<>(maxPerTransaction);
            for (String line : lines.subList(from, Math.min(lines.size(), from + maxPerTransaction))) {
                deliveries.add(new Queued(webhookIdOf(line), line));
            }
            outbox.sendAll(deliveries);
        }
    }

    private void waitForRoomOnQueue() throws InterruptedException {
        while (readyOnQueue.getAsInt() >= maxReady) {
            if (spool.isClosing()) {
                throw new InterruptedException("the webhook spool is stopping");
            }
            TimeUnit.MILLISECONDS.sleep(ROOM_POLL.toMillis());
        }
    }

    /**
     * {@link WebhookDelivery#toJson} writes the webhook id first, a string of a UUID's characters:
     * read from there (a full parse per delivery was 3 % of the allocation at 200 req/s, JFR), and
     * by parsing anything else.
     */
    static String webhookIdOf(String line) {
        if (line.startsWith(ID_FIELD)) {
            int end = line.indexOf('"', ID_FIELD.length());
            String id = end > ID_FIELD.length() ? line.substring(ID_FIELD.length(), end) : "";
            if (!id.isEmpty() && id.indexOf('\\') < 0) {
                return id;
            }
        }
        try {
            return WebhookDelivery.fromJson(line).webhookId();
        } catch (RuntimeException notADelivery) {
            return null;
        }
    }

    /** Starts moving deliveries onto the queue: once the broker is up. */
    public void start() {
        spool.start();
    }

    /**
     * Step of results-webhook-enqueue: keeps one delivery (its JSON) and returns once it is written
     * to the spool; it is on the outbox queue moments later.
     */
    public void hold(String deliveryJson) throws IOException {
        spool.append(deliveryJson);
    }

    /** Segments not yet on the queue (for tests and operators' curiosity). */
    public int segmentsPending() {
        return spool.segmentsPending();
    }

    @Override
    public void close() throws IOException {
        spool.close();
    }
}
