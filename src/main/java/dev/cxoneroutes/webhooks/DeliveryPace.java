package dev.cxoneroutes.webhooks;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets fewer webhook deliveries run at once while a drop file is being worked on here.
 *
 * <p>Why: on a busy host the deliveries of a file's events competed with the file's own lines for
 * the same cores (bench/: 4 deliveries at a time took about a sixth of the service's CPU samples
 * during a 20,000-line file). A delivery is already durable on the broker's queue before its line
 * counts as done, and receivers are promised delivery at least once with retries, never an order
 * or a deadline, so deliveries may lag while a file runs and catch up after it.
 *
 * <p>A delivery never waits here longer than {@code longestWait}: then it goes ahead anyway, so a
 * slow receiver (which costs no CPU while it keeps a delivery waiting) still gets the full
 * {@code CTI_WEBHOOK_CONCURRENCY}, and a stop is never delayed by more than that. A delivery whose
 * event is older than {@code longestLag} is not held back at all: during a long file the outbox
 * then drains at the full concurrency, as it would without pacing, so pacing delays an event by
 * about that much at most and never eats into a failing delivery's retry budget (which runs from
 * the event's creation) beyond it.
 */
public final class DeliveryPace {

    /** No pacing: deliveries run at the consumers' full concurrency. */
    public static final DeliveryPace NONE =
            new DeliveryPace(() -> false, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO);

    /** Handed back by {@link #enter()}; {@link #leave(Permit)} it once the POST is over. */
    public enum Permit {
        HELD,
        NOT_NEEDED
    }

    private final BooleanSupplier batchRunning;
    private final Semaphore duringBatch;
    private final long longestWaitNanos;
    private final Duration longestLag;

    /**
     * @param batchRunning whether a drop file is being worked on by this instance now
     * @param concurrencyDuringBatch deliveries at once meanwhile (at least 1)
     * @param longestWait how long a delivery waits for its turn at most
     * @param longestLag deliveries of events older than this are not held back
     */
    public DeliveryPace(
            BooleanSupplier batchRunning, int concurrencyDuringBatch, Duration longestWait, Duration longestLag) {
        if (concurrencyDuringBatch < 1) {
            throw new IllegalArgumentException(
                    "CTI_WEBHOOK_CONCURRENCY_DURING_BATCH must be at least 1, got " + concurrencyDuringBatch);
        }
        this.batchRunning = batchRunning;
        this.duringBatch =
                new Semaphore(concurrencyDuringBatch, true); // fair: no waiter is passed over until its longest wait
        this.longestWaitNanos = longestWait.toNanos();
        this.longestLag = longestLag;
    }

    /**
     * Waits for a delivery's turn while a file runs (at most the longest wait); at once when no file
     * runs or the event is older than the longest lag.
     *
     * @param age how long ago the delivery's event was created
     */
    public Permit enter(Duration age) {
        if (age.compareTo(longestLag) > 0 || !batchRunning.getAsBoolean()) {
            return Permit.NOT_NEEDED;
        }
        try {
            return duringBatch.tryAcquire(longestWaitNanos, TimeUnit.NANOSECONDS) ? Permit.HELD : Permit.NOT_NEEDED;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return Permit.NOT_NEEDED;
        }
    }

    public void leave(Permit permit) {
        if (permit == Permit.HELD) {
            duringBatch.release();
        }
    }
}
