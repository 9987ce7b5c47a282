package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.files.SegmentSpool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook deliveries on their way to the embedded broker: each is appended to
 * {@code DATA_DIR/webhook-spool/} before the answer it belongs to leaves, and the spool's own
 * thread moves them onto the outbox queue, all of a segment in one broker transaction
 * ({@link SegmentSpool}).
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
     * Puts a segment's deliveries on the outbox queue, all or none (one transaction), each under
     * its duplicate id: a segment sent again after a kill between its commit and its delete is
     * recognised by the broker as sent already, and none of it is queued twice.
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

    private final SegmentSpool spool;

    /**
     * @param dir normally {@code DATA_DIR/webhook-spool}; what an earlier run left there is queued first
     * @param retryInterval how long the spool waits after the broker refused a segment
     */
    public DeliverySpool(Path dir, Outbox outbox, Duration retryInterval) throws IOException {
        this.spool = new SegmentSpool(
                dir,
                "webhook-spool",
                segment -> send(SegmentSpool.readWholeLines(segment), outbox),
                Duration.ZERO,
                retryInterval);
    }

    private static void send(List<String> lines, Outbox outbox) throws Exception {
        if (lines.isEmpty()) {
            return;
        }
        List<Queued> deliveries = new ArrayList<>(lines.size());
        for (String line : lines) {
            deliveries.add(new Queued(webhookIdOf(line), line));
        }
        outbox.sendAll(deliveries);
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
