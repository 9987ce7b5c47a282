package dev.cxoneroutes.webhooks;

import dev.cxoneroutes.support.RepeatingTask;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook deliveries the broker could not take (it is down or unreachable, JMS_BROKER_URL): kept on
 * disk in {@code DATA_DIR/dead-letter/unqueued/}, in the dead-letter format, and handed to the
 * replay folder ({@code DATA_DIR/dead-letter/replay/}, routes/results-webhooks.camel.yaml) once the
 * broker is usable again, so they are queued under their own webhook ids without anyone's help.
 *
 * <p>While the broker is known to be down, {@link #refuseWhileBrokerDown} fails a delivery before
 * it tries the broker: the answer it belongs to does not wait for a connection attempt per event.
 * The log says so once per outage, not per event.
 */
public final class UnqueuedDeliveries implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(UnqueuedDeliveries.class);

    private final DeadLetterFile spool;
    private final Path replayFolder;
    private final BooleanSupplier brokerUsable;
    private final BooleanSupplier brokerLastKnownUsable;
    private final Clock clock;
    private final RepeatingTask timer;
    private long heldSinceReplay; // guarded by this

    /**
     * @param deadLetterDir {@code DATA_DIR/dead-letter}
     * @param brokerUsable whether the broker takes connections (readiness check {@code broker}); may
     *     probe the broker, so only this class's timer asks it
     * @param brokerLastKnownUsable what that check last found, without probing: asked on every
     *     delivery, where a probe (a connection attempt) would hold up the answer it belongs to
     * @param checkInterval how often the spool is handed to the replay folder when the broker is back
     */
    public UnqueuedDeliveries(
            Path deadLetterDir,
            BooleanSupplier brokerUsable,
            BooleanSupplier brokerLastKnownUsable,
            Duration checkInterval,
            Clock clock) {
        this.spool = new DeadLetterFile(deadLetterDir.resolve("unqueued"));
        this.replayFolder = deadLetterDir.resolve("replay");
        this.brokerUsable = brokerUsable;
        this.brokerLastKnownUsable = brokerLastKnownUsable;
        this.clock = clock;
        this.timer = new RepeatingTask("webhook-unqueued", checkInterval, this::replayIfBrokerBack);
    }

    /** Step of results-webhook-enqueue: fails at once while the broker is known to be down. */
    public void refuseWhileBrokerDown() throws BrokerUnavailableException {
        if (!brokerLastKnownUsable.getAsBoolean()) {
            throw new BrokerUnavailableException();
        }
    }

    /** Keeps a delivery the broker did not take, on disk, until the broker is back. */
    public synchronized void hold(WebhookDelivery delivery) throws IOException {
        spool.append(DeadLetter.of(delivery, clock.instant()));
        if (heldSinceReplay++ == 0) {
            LOG.warn(
                    "The JMS broker does not take webhook deliveries ({}): answers go on, and deliveries are kept"
                            + " in {} and queued again when the broker is back",
                    delivery.lastError(),
                    spool.file().getParent());
        }
    }

    /** Timer: moves the spool into the replay folder once the broker is usable. */
    private void replayIfBrokerBack() {
        try {
            synchronized (this) {
                if (!Files.exists(spool.file()) || !brokerUsable.getAsBoolean()) {
                    return;
                }
                spool.close();
                Files.createDirectories(replayFolder);
                Path target = replayFolder.resolve("unqueued-" + clock.millis() + ".jsonl");
                Files.move(spool.file(), target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info(
                        "The JMS broker is back: {} webhook deliveries kept meanwhile are queued again from {}",
                        heldSinceReplay,
                        target);
                heldSinceReplay = 0;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not hand the unqueued webhook deliveries to the replay folder yet: {}", e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        timer.close();
        spool.close();
    }

    /** The broker is known to be down: the delivery is not even tried. */
    public static final class BrokerUnavailableException extends Exception {
        BrokerUnavailableException() {
            super("the JMS broker is unavailable", null, false, false);
        }
    }
}
