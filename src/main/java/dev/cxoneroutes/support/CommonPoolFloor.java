package dev.cxoneroutes.support;

/**
 * Gives Java's common ForkJoinPool at least two threads on a machine with fewer than three CPUs.
 *
 * <p>There the pool gets one thread, and CompletableFuture then runs every async stage given no
 * executor on a new thread of its own ({@code CompletableFuture.ThreadPerTaskExecutor}). The JDK
 * HttpClient adds such a stage to every {@code sendAsync} (JDK 17's {@code HttpClientImpl}), so on
 * two cores each CTI webhook POST started and ended a thread: ~700 thread starts in a 20,000-line
 * drop file's JFR recording, one per delivery, and as many per second as handoffs at full load.
 *
 * <p>It must run before anything touches ForkJoinPool or CompletableFuture (the first line of
 * {@code Application.main}); a parallelism set on the command line is left as it is.
 */
public final class CommonPoolFloor {

    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPoolFloor() {}

    public static void apply() {
        parallelismFor(Runtime.getRuntime().availableProcessors(), System.getProperty(PARALLELISM))
                .ifPresent(threads -> System.setProperty(PARALLELISM, threads));
    }

    /** The parallelism to set, if any: the JVM's own choice (CPUs - 1) is 1 or less below 3 CPUs. */
    static java.util.Optional<String> parallelismFor(int cpus, String alreadySet) {
        return alreadySet == null && cpus < 3 ? java.util.Optional.of("2") : java.util.Optional.empty();
    }
}
