package dev.cxoneroutes.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of one drop file: what was finished before it started (a restart resuming the file), what
 * it has done since, and the two files it appends to. Shared by the file's line threads; the bit
 * sets are only read after construction. Memory does not grow with the file beyond two bits a line.
 */
public final class BatchRun {

    enum State {
        IN_PROGRESS("in_progress"),
        DONE("done"),
        FAILED("failed");

        final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }
    }

    private final String file;
    private final String sha256;
    private final FinishedLines finishedBefore;
    /** Lines sent to CXone before a crash that have no result: their outcome is unknown. */
    private final BitSet wereInFlight;

    private final LineProgress progress;
    private final String instance;
    private final Clock clock;
    private final Instant startedAt;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong succeeded;
    private final AtomicLong failed;
    private final AtomicLong recordedThisRun = new AtomicLong();
    private volatile State state = State.IN_PROGRESS;
    /** Set when the service began to stop before every line had its result. */
    private volatile boolean interrupted;
    /** Set when another instance took the file over (shared drop folder). */
    private volatile boolean claimLost;

    private volatile Instant finishedAt;
    private volatile long finishedNanos;

    BatchRun(
            String file,
            String sha256,
            FinishedLines finishedBefore,
            BitSet wereInFlight,
            LineProgress progress,
            String instance,
            Clock clock) {
        this.file = file;
        this.sha256 = sha256;
        this.finishedBefore = finishedBefore;
        this.wereInFlight = wereInFlight;
        this.progress = progress;
        this.instance = instance;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.succeeded = new AtomicLong(finishedBefore.succeeded());
        this.failed = new AtomicLong(finishedBefore.failed());
    }

    public String file() {
        return file;
    }

    String sha256() {
        return sha256;
    }

    void lineRead() {
        linesRead.incrementAndGet();
    }

    boolean hasResult(int line) {
        return finishedBefore.lines().get(line);
    }

    boolean wasInFlightAtCrash(int line) {
        return wereInFlight.get(line);
    }

    int linesFinishedBefore() {
        return finishedBefore.lines().cardinality();
    }

    int linesInFlightAtCrash() {
        return wereInFlight.cardinality();
    }

    /**
     * Whether the file's route is going away: the service stopping, or the route being stopped or
     * reloaded (an edit of routes/*.yaml). Either way the file must stay for the route's next run.
     */
    static boolean routeStopping(org.apache.camel.Exchange exchange) {
        org.apache.camel.CamelContext context = exchange.getContext();
        if (context.isStopping()) {
            return true;
        }
        String routeId = exchange.getFromRouteId();
        org.apache.camel.ServiceStatus status =
                routeId == null ? null : context.getRouteController().getRouteStatus(routeId);
        return status != null && (status.isStopping() || status.isStopped());
    }

    void interrupt() {
        interrupted = true;
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Another instance holds the file now: read no further lines, write nothing more. */
    void claimLost() {
        claimLost = true;
        interrupted = true;
    }

    boolean wasClaimLost() {
        return claimLost;
    }

    /** Notes the line as handed to CXone; returns once the note is in the journal. */
    void markSent(int line) throws IOException {
        progress.markSent(line);
    }

    void record(int line, String resultLine, boolean success) throws IOException {
        progress.record(line, resultLine, success);
        (success ? succeeded : failed).incrementAndGet();
        recordedThisRun.incrementAndGet();
    }

    /**
     * The line's X-CXone-Request-ID when the command has no requestId of its own: the same for the
     * same line of the same file on every run, so a line CXone sees twice carries one id.
     */
    String requestIdFor(int line) {
        byte[] digest = newSha256().digest((file + "\n" + sha256 + "\n" + line).getBytes(StandardCharsets.UTF_8));
        return "batch-" + HexFormat.of().formatHex(digest, 0, 16);
    }

    /** Every line has its result: syncs the results and marks the progress complete. */
    void complete() throws IOException {
        progress.complete(status(State.DONE));
        end(State.DONE);
    }

    /** The file could not be finished: closes what is open, keeping what was written. */
    void abandon() {
        progress.abandon();
        end(State.FAILED);
    }

    private void end(State ended) {
        finishedNanos = System.nanoTime();
        finishedAt = clock.instant();
        state = ended;
    }

    long lines() {
        return succeeded.get() + failed.get();
    }

    long succeeded() {
        return succeeded.get();
    }

    long failed() {
        return failed.get();
    }

    Duration duration() {
        long end = state == State.IN_PROGRESS ? System.nanoTime() : finishedNanos;
        return Duration.ofNanos(end - startedNanos);
    }

    BatchStatus status() {
        return status(state);
    }

    private BatchStatus status(State shown) {
        double seconds = duration().toNanos() / 1e9;
        double perSecond = seconds <= 0 ? 0 : Math.round(recordedThisRun.get() / seconds * 10) / 10.0;
        return new BatchStatus(
                file,
                shown.wireName,
                linesRead.get(),
                succeeded.get(),
                failed.get(),
                perSecond,
                startedAt.toString(),
                finishedAt == null ? null : finishedAt.toString(),
                instance);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
