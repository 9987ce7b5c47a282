package dev.cxoneroutes.batch;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * How many drop-file lines may be at CXone at once, found by trying, the way TCP finds a link's
 * capacity (additive increase, multiplicative decrease). While CXone answers every call at the
 * first attempt the limit grows: by one per answered call below the slow-start threshold (so it
 * doubles each round trip), by one per round of {@code limit} calls above it. When CXone pushes
 * back (429, 5xx, a timeout: a retried or failed call) the limit halves, once per round: calls
 * that were already under way when it halved are not counted again, or one burst of 429s would
 * take the limit straight to one. It never leaves [1, ceiling].
 *
 * <p>The limit grows only on calls sent while it was used (half of it or more in flight, as in
 * Netflix's concurrency-limits): a file fed slower than CXone answers must not leave behind a
 * limit that no longer means anything.
 *
 * <p>Thread-safe; {@link #acquire()} blocks until the call may go.
 */
public final class AdaptiveLimit {

    /** What a call taught the limit. */
    public enum Outcome {
        /** CXone answered at the first attempt. */
        ANSWERED,
        /** CXone was rate limiting, failing or too slow: retried, or failed for good. */
        PUSHED_BACK,
        /** Nothing about CXone's capacity: the call never reached it, or was refused on its merits. */
        NEUTRAL
    }

    /** The right to one call, handed back with its {@link Outcome} to {@link #release}. */
    public static final class Permit {
        private final long round;
        /** Calls in flight once this one was admitted, itself included. */
        private final int inFlightAtStart;

        private Permit(long round, int inFlightAtStart) {
            this.round = round;
            this.inFlightAtStart = inFlightAtStart;
        }
    }

    private final int ceiling;
    private final IntConsumer onDecrease;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomFreed = lock.newCondition();

    private int limit;
    private int slowStartThreshold;
    /** Answered calls since the limit last grew above the slow-start threshold. */
    private int answeredSinceGrowth;

    private int inFlight;
    /** Bumped at each decrease: permits taken before it belong to the round already punished. */
    private long round;

    /**
     * @param initial the limit to start from (clamped to [1, ceiling])
     * @param ceiling the limit never grows above this (BATCH_CONCURRENCY)
     * @param onDecrease told the new limit after each decrease, for a log line
     */
    public AdaptiveLimit(int initial, int ceiling, IntConsumer onDecrease) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("the ceiling must be at least 1, not " + ceiling);
        }
        this.ceiling = ceiling;
        this.onDecrease = onDecrease;
        this.limit = Math.max(1, Math.min(initial, ceiling));
        this.slowStartThreshold = ceiling;
    }

    /**
     * Waits until fewer calls than the limit are in flight, then takes a place. Uninterruptible: a
     * place always frees up as calls end (each is bounded by CXone's timeout), and a line that
     * stopped waiting here would have to be answered without being sent.
     */
    public Permit acquire() {
        lock.lock();
        try {
            while (inFlight >= limit) {
                roomFreed.awaitUninterruptibly();
            }
            inFlight++;
            return new Permit(round, inFlight);
        } finally {
            lock.unlock();
        }
    }

    /** {@link #acquire()} without waiting: null when the limit is reached. */
    public Permit tryAcquire() {
        lock.lock();
        try {
            if (inFlight >= limit) {
                return null;
            }
            inFlight++;
            return new Permit(round, inFlight);
        } finally {
            lock.unlock();
        }
    }

    /** Hands a place back and adjusts the limit by what the call showed. */
    public void release(Permit permit, Outcome outcome) {
        int decreasedTo = 0;
        lock.lock();
        try {
            boolean used = permit.inFlightAtStart * 2 >= limit;
            inFlight--;
            if (outcome == Outcome.ANSWERED && used) {
                grow();
            } else if (outcome == Outcome.PUSHED_BACK && permit.round == round) {
                int halved = Math.max(1, limit / 2);
                if (halved < limit) {
                    decreasedTo = halved;
                }
                limit = halved;
                slowStartThreshold = halved;
                answeredSinceGrowth = 0;
                round++;
            }
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
        if (decreasedTo > 0) {
            onDecrease.accept(decreasedTo);
        }
    }

    private void grow() {
        if (limit < slowStartThreshold) {
            limit++;
        } else if (++answeredSinceGrowth >= limit) {
            limit++;
            answeredSinceGrowth = 0;
        }
        limit = Math.min(limit, ceiling);
    }

    /** Calls that may be in flight at once now. */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int ceiling() {
        return ceiling;
    }
}
