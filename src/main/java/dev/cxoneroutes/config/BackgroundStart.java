package dev.cxoneroutes.config;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a slow dependency (the embedded broker, the sandbox's simulated CXone) on a thread of its
 * own, so that it starts while the rest of the service is wired and its routes are built, instead
 * of one after the other on the startup thread: on two cores that took seconds off the start
 * (README, Benchmarks).
 *
 * <p>Nothing changes for what uses it: the routes' consumers start only once it is up (a startup
 * listener waits for it just before Camel starts them), so no JMS message, drop file or request
 * reaches it early, and readiness stays DOWN until then as before. A failed start fails the service's start
 * with its own error, as when it ran on the startup thread. Added to the context in the place of
 * the dependency, it stops it with the service; a stop waits for a start still running (up to
 * 30 s).
 */
public final class BackgroundStart extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundStart.class);

    /** How long a stop waits for a start still running (a broker waiting for its journal's lock). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Service dependency;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    private BackgroundStart(String name, Service dependency) {
        this.name = name;
        this.dependency = dependency;
    }

    /**
     * Starts the dependency now, on a thread named after it, and ties it to the context: the
     * context's routes start after it, and it stops with the context.
     */
    public static BackgroundStart begin(CamelContext context, String name, Service dependency) throws Exception {
        BackgroundStart start = new BackgroundStart(name, dependency);
        Thread thread = new Thread(start::run, "start " + name);
        // A start that hangs must not keep alive a JVM whose start failed for another reason.
        thread.setDaemon(true);
        thread.start();
        context.addStartupListener(start);
        context.addService(start, true, false);
        return start;
    }

    private void run() {
        try {
            dependency.start();
            started.complete(null);
        } catch (RuntimeException | Error e) {
            started.completeExceptionally(e);
        }
    }

    /**
     * When the routes have started but not yet their consumers (Camel calls startup listeners
     * then): waits for the dependency, or fails the start with its error.
     */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (!started.isDone()) {
            LOG.info("Waiting for the {} to start", name);
        }
        try {
            started.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The " + name + " did not start: " + e.getCause(), e.getCause());
        }
    }

    @Override
    protected void doStop() throws Exception {
        try {
            started.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failedToStart) {
            // Stopped anyway: a half-started dependency may hold threads, ports or files.
        } catch (TimeoutException stillStarting) {
            // Its stop would wait for the start (both hold its lock): leave it to the JVM's exit.
            LOG.warn("The {} was still starting after {}; not stopping it", name, STOP_WAIT);
            return;
        }
        dependency.stop();
    }
}
