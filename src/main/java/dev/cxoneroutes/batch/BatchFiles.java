package dev.cxoneroutes.batch;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.results.BatchCompletedEvent;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ResultPublication;
import dev.cxoneroutes.state.StateStoreUnavailableException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.BitSet;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps around a whole drop file: {@link #open} before its lines are split off (check it, and
 * resume it if a crash interrupted it), {@link #finish} once every line has its result, and
 * {@link #fail} when it cannot be processed. The file route moves a finished input to processed/.
 */
public class BatchFiles {

    /** Exchange property holding the file's {@link BatchRun}; split copies it to every line. */
    public static final String RUN = "cxrBatchRun";

    private static final Logger LOG = LoggerFactory.getLogger(BatchFiles.class);
    private static final DateTimeFormatter ARCHIVE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final DropFolder folder;
    private final BatchProgress progress;
    private final ResultEvents events;
    private final long syncIntervalMillis;
    private final Clock clock;
    private final String instance;
    /** Null for one instance on its own: progress in local files. */
    private final SharedDropFiles shared;

    public BatchFiles(
            DropFolder folder,
            BatchProgress progress,
            ResultEvents events,
            long syncIntervalMillis,
            Clock clock,
            String instance,
            SharedDropFiles shared) {
        this.folder = folder;
        this.progress = progress;
        this.events = events;
        this.syncIntervalMillis = syncIntervalMillis;
        this.clock = clock;
        this.instance = instance;
        this.shared = shared;
    }

    /**
     * Checks the input is UTF-8 (else {@link NotUtf8Exception}: nothing is written), then starts its
     * run. When a journal for this very content exists, a crash interrupted it: the results written
     * so far are kept and their lines skipped. A results file left by an earlier, different file of
     * the same name is archived beside it, not mixed in.
     */
    public void open(Exchange exchange) throws IOException, NotUtf8Exception {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path input = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        exchange.setProperty(ExchangeKeys.SOURCE, "file");
        String sha256 = DropFileScan.sha256OfUtf8Text(input);
        Files.createDirectories(folder.processed());
        BatchRun run = shared == null ? openLocal(file, sha256) : openShared(file, sha256);
        exchange.setProperty(RUN, run);
        progress.started(run);
    }

    private BatchRun openLocal(String file, String sha256) throws IOException {
        Path results = folder.results(file);
        Path journalFile = folder.journal(file);
        Optional<InFlightJournal.State> journal = InFlightJournal.read(journalFile, sha256);
        BatchRun run;
        if (journal.isPresent() && Files.exists(results)) {
            FinishedLines finished = FinishedLines.read(results);
            BitSet wereInFlight = (BitSet) journal.get().sent().clone();
            wereInFlight.andNot(finished.lines());
            run = new BatchRun(
                    file,
                    sha256,
                    finished,
                    wereInFlight,
                    new LocalLineProgress(
                            BatchLineWriter.open(results, syncIntervalMillis),
                            InFlightJournal.resume(journalFile, syncIntervalMillis),
                            journalFile,
                            sha256),
                    instance,
                    clock);
            LOG.info(
                    "Resuming drop file {}: {} lines already have results; {} were being sent to CXone when the"
                            + " service stopped and get OUTCOME_UNKNOWN instead of being sent again",
                    file,
                    run.linesFinishedBefore(),
                    run.linesInFlightAtCrash());
        } else {
            archive(results);
            run = new BatchRun(
                    file,
                    sha256,
                    FinishedLines.none(),
                    new BitSet(),
                    new LocalLineProgress(
                            BatchLineWriter.open(results, syncIntervalMillis),
                            InFlightJournal.start(journalFile, sha256, syncIntervalMillis),
                            journalFile,
                            sha256),
                    instance,
                    clock);
            LOG.info("Processing drop file {}; results in {}", file, results);
        }
        return run;
    }

    /**
     * A drop file shared by several instances, held by this one (the file route's read lock claimed
     * it). The state store says what to do: a file already done is finished at once from its
     * results; a file another instance (or this one, before a restart) worked on is taken over from
     * its line progress, the results file rebuilt from that progress; anything else starts afresh.
     */
    private BatchRun openShared(String file, String sha256) throws IOException {
        Path results = folder.results(file);
        SharedDropFiles.Claim claim = shared.held(file);
        FinishedLines finished;
        BitSet wereInFlight = new BitSet();
        if (claim.doneWith(sha256)) {
            shared.resume(file);
            finished = FinishedLines.read(results);
            LOG.info(
                    "Drop file {} was already finished ({} results); finishing it again",
                    file,
                    finished.lines().cardinality());
        } else if (claim.sameFile(sha256)) {
            shared.resume(file);
            SharedDropFiles.Lines lines = rebuildResults(file, results);
            finished = new FinishedLines(lines.finished(), lines.succeeded(), lines.failed());
            wereInFlight = lines.sentWithoutResult();
            LOG.info(
                    "Taking over drop file {}: {} lines already have results; {} were being sent to CXone when the"
                            + " instance working on it stopped and get OUTCOME_UNKNOWN instead of being sent again",
                    file,
                    finished.lines().cardinality(),
                    wereInFlight.cardinality());
        } else {
            shared.startFresh(file, sha256);
            archive(results);
            finished = FinishedLines.none();
            LOG.info("Processing drop file {}; results in {}", file, results);
        }
        return new BatchRun(
                file,
                sha256,
                finished,
                wereInFlight,
                new SharedLineProgress(shared, file, BatchLineWriter.open(results, syncIntervalMillis)),
                instance,
                clock);
    }

    /**
     * Writes every result the state store holds for the file to a new results file and puts it in
     * place in one atomic rename. Whatever the earlier holder appended to the old file is in the
     * store too (it keeps each result there first); an earlier holder still writing (frozen, then
     * woken) writes to the replaced file, which nobody reads.
     */
    private SharedDropFiles.Lines rebuildResults(String file, Path results) throws IOException {
        Files.createDirectories(results.getParent());
        Path rebuilt = results.resolveSibling("." + results.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        SharedDropFiles.Lines lines;
        try (BufferedWriter writer = Files.newBufferedWriter(rebuilt, StandardCharsets.UTF_8)) {
            lines = shared.readLines(file, writer);
        }
        try (FileChannel channel = FileChannel.open(rebuilt, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(rebuilt, results, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return lines;
    }

    /**
     * Every line has its result: closes the run and sets its {@link BatchCompletedEvent} as the event
     * {@code direct:results-publish} records next, before the file route ends and moves the input to
     * processed/. The message itself is left alone.
     */
    public void finish(Exchange exchange) throws IOException {
        BatchRun run = exchange.getProperty(RUN, BatchRun.class);
        if (run.interrupted()) {
            throw new IllegalStateException(
                    "The service is stopping before every line of " + run.file() + " has its result");
        }
        run.complete();
        progress.ended(run);
        BatchStatus status = run.status();
        LOG.info(
                "Finished drop file {}: {} lines, {} succeeded, {} failed, in {} ms ({} lines/s)",
                run.file(),
                run.lines(),
                run.succeeded(),
                run.failed(),
                run.duration().toMillis(),
                status.linesPerSecond());
        exchange.setProperty(ExchangeKeys.SOURCE, "file");
        exchange.setProperty(
                ResultPublication.EVENT,
                events.batchCompleted(run.file(), run.lines(), run.succeeded(), run.failed(), run.duration()));
    }

    /**
     * The file could not be finished. When the service is stopping, that is no failure: the file
     * stays in the inbox and resumes at the next start. Otherwise it moves to failed/ with
     * {@code <file>.error.txt} beside it, so whoever dropped it need not read the service's log.
     * (The move is done here, not by the file endpoint's moveFailed, which cannot tell a shutdown
     * from a failure and would park a half-done file in failed/ at every restart.)
     */
    public void fail(Exchange exchange) throws IOException {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        BatchRun run = exchange.getProperty(RUN, BatchRun.class);
        boolean lostToAnotherInstance =
                (run != null && run.wasClaimLost()) || causedBy(cause, DropFileClaimLostException.class);
        boolean storeAway = causedBy(cause, StateStoreUnavailableException.class);
        boolean interrupted = lostToAnotherInstance
                || storeAway
                || (run != null && run.interrupted())
                || (BatchRun.routeStopping(exchange) && !(cause instanceof NotUtf8Exception));
        if (!interrupted && shared != null) {
            // Only the instance holding the file moves it: record the failure first, fenced.
            try {
                if (run == null) {
                    shared.failBeforeStart(file, null);
                } else {
                    shared.fail(file, run.status());
                }
            } catch (DropFileClaimLostException | StateStoreUnavailableException e) {
                lostToAnotherInstance = e instanceof DropFileClaimLostException;
                storeAway = !lostToAnotherInstance;
                interrupted = true;
            }
        }
        if (interrupted && (lostToAnotherInstance || storeAway)) {
            if (run != null) {
                run.abandon();
                progress.ended(run);
            }
            LOG.warn(
                    "Stopped working on drop file {} after {} results: {}; it stays in the inbox for the instance"
                            + " that holds it, or for the next one to claim it",
                    file,
                    run == null ? 0 : run.lines(),
                    lostToAnotherInstance
                            ? "another instance took it over"
                            : "the state store (STATE_STORE_URL) cannot be used");
            return;
        }
        if (interrupted) {
            if (run != null) {
                run.abandon();
                progress.ended(run);
            }
            LOG.info(
                    "Drop file {} interrupted by the service stopping after {} results; it stays in the inbox and"
                            + " resumes at the next start",
                    file,
                    run == null ? 0 : run.lines());
            return;
        }
        String reason = cause instanceof NotUtf8Exception
                ? cause.getMessage() + " No line was processed."
                : "Processing stopped: " + cause
                        + (run == null
                                ? ""
                                : ". Lines with results: " + run.lines() + "; their results are in "
                                        + folder.results(file) + ".");
        Path report = folder.errorReport(file);
        Files.createDirectories(report.getParent());
        Files.writeString(
                report,
                file + " was moved to failed/ at " + clock.instant() + ".\n" + reason + "\n",
                StandardCharsets.UTF_8);
        Path input = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        Files.move(input, report.resolveSibling(file), StandardCopyOption.REPLACE_EXISTING);
        if (run != null) {
            run.abandon();
            progress.ended(run);
        } else {
            progress.failedBeforeStart(file, clock.instant());
        }
        LOG.warn("Drop file {} moved to failed/: {}", file, reason);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private void archive(Path results) throws IOException {
        if (Files.exists(results)) {
            String name = results.getFileName().toString();
            String stem = name.substring(0, name.length() - ".results.jsonl".length());
            Path archived =
                    results.resolveSibling(stem + "." + ARCHIVE_STAMP.format(clock.instant()) + ".results.jsonl");
            Files.move(results, archived);
            LOG.info("Earlier results for another file named {} kept as {}", stem, archived.getFileName());
        }
    }
}
