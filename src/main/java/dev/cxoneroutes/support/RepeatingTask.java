package dev.cxoneroutes.support;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run on a daemon thread of its own, every {@code interval} after the previous run ended,
 * until closed: the once-a-second recoveries and syncs that must never run on a request's thread.
 */
public final class RepeatingTask implements AutoCloseable {

    /** How long {@link #close} waits for a run under way (a sync or a replay) to finish. */
    private static final long STOP_WAIT_SECONDS = 10;

    private final ScheduledExecutorService timer;

    public RepeatingTask(String threadName, Duration interval, Runnable task) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the repetitions; returns once a run under way has ended (or after 10 s). */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
