package dev.cxoneroutes.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed webhook delivery again, and when to give up (CONTRACT §6: retried with
 * exponential backoff for at least 10 minutes, then dead-lettered).
 *
 * <p>The n-th wait is {@code firstDelay × 2^(n-1)}, capped at {@code maxDelay}, then jittered down
 * to a random point between its half and its whole, so deliveries that failed together (the
 * receiver was down) do not all come back in the same second. Retries go on until
 * {@code totalBudget} has passed since the delivery was created; the last wait is shortened to end
 * exactly at the budget, so the final attempt is made at the budget's end and never earlier: a
 * receiver that is back within the budget always gets one more try.
 *
 * <p>Defaults: first wait 5 s, at most 2 min per wait, 10 min in all: about ten attempts
 * (5 s, 10 s, 20 s, 40 s, 80 s, then every 2 min or less). A test can use a budget of seconds.
 */
public final class WebhookBackoff {

    public static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(2);
    public static final Duration DEFAULT_TOTAL_BUDGET = Duration.ofMinutes(10);

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration totalBudget;
    private final DoubleSupplier random;

    /** The contract's schedule: see the defaults above. */
    public WebhookBackoff() {
        this(DEFAULT_FIRST_DELAY, DEFAULT_MAX_DELAY, DEFAULT_TOTAL_BUDGET);
    }

    /**
     * @param firstDelay the wait after the first failed attempt (before jitter)
     * @param maxDelay the longest single wait
     * @param totalBudget how long after its creation a delivery is still retried
     */
    public WebhookBackoff(Duration firstDelay, Duration maxDelay, Duration totalBudget) {
        this(firstDelay, maxDelay, totalBudget, () -> ThreadLocalRandom.current()
                .nextDouble());
    }

    /** @param random values in [0, 1) that place each wait in its jitter range; fixed in tests */
    WebhookBackoff(Duration firstDelay, Duration maxDelay, Duration totalBudget, DoubleSupplier random) {
        requirePositive(firstDelay, "firstDelay");
        requirePositive(maxDelay, "maxDelay");
        requirePositive(totalBudget, "totalBudget");
        if (maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must not be shorter than firstDelay");
        }
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.totalBudget = totalBudget;
        this.random = random;
    }

    /**
     * The wait before the next attempt, or empty when the delivery should be dead-lettered.
     *
     * @param attemptsSoFar attempts made, all failed; at least 1
     * @param elapsedSinceCreated time since the delivery was created
     */
    public Optional<Duration> nextDelay(int attemptsSoFar, Duration elapsedSinceCreated) {
        if (attemptsSoFar < 1) {
            throw new IllegalArgumentException("attemptsSoFar must be at least 1, got " + attemptsSoFar);
        }
        Duration remaining = totalBudget.minus(elapsedSinceCreated);
        if (remaining.isNegative() || remaining.isZero()) {
            return Optional.empty();
        }
        Duration wait = jittered(exponential(attemptsSoFar));
        return Optional.of(wait.compareTo(remaining) < 0 ? wait : remaining);
    }

    /** {@link #nextDelay(int, Duration)} for a delivery that has just failed. */
    public Optional<Duration> nextDelay(WebhookDelivery failed, Instant now) {
        return nextDelay(failed.attempts(), failed.age(now));
    }

    public Duration totalBudget() {
        return totalBudget;
    }

    private Duration exponential(int attemptsSoFar) {
        // Past 2^30 any realistic first delay is beyond the cap; stop doubling before it overflows.
        int doublings = Math.min(attemptsSoFar - 1, 30);
        long millis = firstDelay.toMillis();
        for (int i = 0; i < doublings && millis < maxDelay.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    private Duration jittered(Duration delay) {
        double share = 0.5 + 0.5 * Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofMillis(Math.max(1, Math.round(delay.toMillis() * share)));
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return "WebhookBackoff[first=" + firstDelay + ", max=" + maxDelay + ", budget=" + totalBudget + "]";
    }
}
