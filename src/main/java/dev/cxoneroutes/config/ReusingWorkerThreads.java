package dev.cxoneroutes.config;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x worker pools (the HTTP requests' threads, HTTP_WORKER_THREADS) that hand a task to an idle
 * thread before starting another, up to the pool's size, and let a thread idle for a minute go.
 *
 * <p>Why: Vert.x's own pool is a fixed {@code ThreadPoolExecutor}, which starts a new thread for
 * every task until it has all of them, idle ones or not: after the first 200 requests the service
 * ran 200 worker threads at 200 req/s, where five to ten were ever busy at once. Each kept its stack,
 * Netty's per-thread buffer caches (16 MB of the heap's live set in a heap histogram) and more roots
 * for every young collection to scan. The busy count still goes up to the pool's size when requests
 * wait out CXone retries (README, Guarantees): only idle threads are not kept.
 *
 * <p>How (the scaling pattern of Elasticsearch's executors): the queue takes a task only if an idle
 * thread is waiting for one ({@link LinkedTransferQueue#tryTransfer}); otherwise the executor starts a
 * thread, and when it has as many as allowed, the task waits in the queue for the next free one.
 * Registered for Vert.x in {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}.
 */
public final class ReusingWorkerThreads implements ExecutorServiceFactory {

    private static final long IDLE_SECONDS = 60;

    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
        int size = maxConcurrency != null ? maxConcurrency : concurrency;
        HandOffQueue queue = new HandOffQueue();
        return new ThreadPoolExecutor(0, size, IDLE_SECONDS, TimeUnit.SECONDS, queue, threadFactory, (task, pool) -> {
            if (pool.isShutdown()) {
                throw new RejectedExecutionException("Vert.x worker pool is shut down");
            }
            queue.waitForAThread(task);
        });
    }

    /** Offers succeed only into an idle thread's hands; with every thread busy, the task queues. */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        /** The executor has all its threads and none idle: the next one to finish takes it. */
        void waitForAThread(Runnable task) {
            super.offer(task);
        }
    }
}
