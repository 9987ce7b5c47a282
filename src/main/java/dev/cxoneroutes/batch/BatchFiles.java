package dev.cxoneroutes.batch;

import dev.cxoneroutes.api.ExchangeKeys;
import dev.cxoneroutes.results.BatchCompletedEvent;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ResultPublication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    public BatchFiles(
            DropFolder folder, BatchProgress progress, ResultEvents events, long syncIntervalMillis, Clock clock) {
        this.folder = folder;
        this.progress = progress;
        this.events = events;
        this.syncIntervalMillis = syncIntervalMillis;
        this.clock = clock;
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
                    BatchLineWriter.open(results, syncIntervalMillis),
                    InFlightJournal.resume(journalFile, syncIntervalMillis),
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
                    BatchLineWriter.open(results, syncIntervalMillis),
                    InFlightJournal.start(journalFile, sha256, syncIntervalMillis),
                    clock);
            LOG.info("Processing drop file {}; results in {}", file, results);
        }
        exchange.setProperty(RUN, run);
        progress.started(run);
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
        run.complete(folder.journal(run.file()));
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
        boolean interrupted = (run != null && run.interrupted())
                || (BatchRun.routeStopping(exchange) && !(cause instanceof NotUtf8Exception));
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
