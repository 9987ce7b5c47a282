package dev.cxoneroutes.audit;

import dev.cxoneroutes.metrics.ServiceMetrics.AuditMeters;
import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultPublication;
import dev.cxoneroutes.support.RepeatingTask;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code results-audit} step: writes each event's line with {@link AuditLog}, and keeps answers
 * flowing when the audit folder cannot be written (disk full, folder gone or replaced, read-only
 * mount), as CONTRACT §6 asks: no output may fail or delay the caller.
 *
 * <p>What happens to an event whose line cannot be written: it is <b>held in memory</b>, in order,
 * and written as soon as the file can be written again, so an outage loses nothing unless the
 * process dies during it or more than {@code backlogLimit} events pile up (those beyond are counted
 * as lost). While any event is held, new events join the queue behind it without touching the disk,
 * so a failing disk costs a request nothing; once a second a timer thread tries the disk again.
 *
 * <p>While events are held, {@link #isWritable()} is false (readiness {@code audit} is DOWN), each
 * held event counts in {@code cxone_audit_write_failures_total}, and the log says so at most once a
 * second, and only when something changed (not per request). The same timer notices a day's file
 * that was moved or deleted while open, so lines never go on into a file nobody will read.
 */
public final class AuditRecorder implements Processor, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);

    private final AuditLog log;
    private final int backlogLimit;
    private final AuditMeters meters;
    private final RepeatingTask timer;

    private final ArrayDeque<HeldLine> held = new ArrayDeque<>(); // guarded by this
    private volatile boolean failing; // written under this
    private long heldSinceLastLog; // guarded by this
    private long lostSinceLastLog; // guarded by this
    private String lastError = ""; // guarded by this
    private boolean reopenNeeded; // guarded by this

    /**
     * @param backlogLimit events held in memory at most while the file cannot be written
     * @param checkInterval how often the disk is tried again (and the log may speak): one second
     */
    public AuditRecorder(AuditLog log, int backlogLimit, Duration checkInterval, AuditMeterFactory meterFactory) {
        this.log = log;
        this.backlogLimit = backlogLimit;
        this.meters = meterFactory.meters(this::heldEvents);
        this.timer = new RepeatingTask("audit-recovery", checkInterval, this::check);
    }

    /** Makes the meters once the recorder can report its backlog. */
    @FunctionalInterface
    public interface AuditMeterFactory {
        AuditMeters meters(java.util.function.IntSupplier heldEvents);
    }

    /** The {@code results-audit} step: records the event {@code results-publish} prepared. Never throws. */
    @Override
    public void process(Exchange exchange) {
        record(exchange.getProperty(ResultPublication.EVENT, FanOutEvent.class), ResultPublication.eventJson(exchange));
    }

    /** Writes the event's line now, or holds it until the file can be written. Never throws. */
    public void record(FanOutEvent event) {
        record(event, event.toJson());
    }

    /** {@link #record(FanOutEvent)} with the event's JSON already made. */
    private void record(FanOutEvent event, String line) {
        LocalDate day = AuditLog.dayOf(event);
        while (true) {
            if (!failing) {
                try {
                    log.append(day, line);
                    return;
                } catch (IOException | RuntimeException e) {
                    startFailing(e);
                }
            }
            synchronized (this) {
                if (failing) {
                    hold(new HeldLine(day, line));
                    return;
                }
            }
            // Recovered between the two looks: write it after all.
        }
    }

    /** False while events are held in memory because the audit file cannot be written. */
    public boolean isWritable() {
        return !failing;
    }

    public synchronized int heldEvents() {
        return held.size();
    }

    private synchronized void startFailing(Exception e) {
        lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        reopenNeeded = true;
        failing = true;
    }

    /** Holds this's lock. */
    private void hold(HeldLine line) {
        meters.writeFailed().run();
        if (held.size() >= backlogLimit) {
            meters.eventLost().run();
            lostSinceLastLog++;
            return;
        }
        held.addLast(line);
        heldSinceLastLog++;
    }

    /** The timer's tick: writes what is held, or checks that the open files are still in place. */
    private void check() {
        try {
            if (failing) {
                writeHeld();
            } else if (log.filesMovedAway()) {
                LOG.warn("An open audit file was moved or deleted; the next line opens {} again", "DATA_DIR/audit");
                log.reopen();
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit recovery check failed: {}", e.toString());
        }
    }

    /** Writes the held lines in order; stops at the first failure and reports it (at most once a tick). */
    private void writeHeld() {
        synchronized (this) {
            if (reopenNeeded) {
                log.reopen();
                reopenNeeded = false;
            }
        }
        long written = 0;
        while (true) {
            HeldLine next;
            synchronized (this) {
                next = held.peekFirst();
                if (next == null) {
                    failing = false;
                    LOG.info(
                            "The audit file can be written again: {} held event(s) written to DATA_DIR/audit", written);
                    heldSinceLastLog = 0;
                    lostSinceLastLog = 0;
                    return;
                }
            }
            try {
                log.append(next.day(), next.line());
            } catch (IOException | RuntimeException e) {
                reportStillFailing(e);
                return;
            }
            synchronized (this) {
                held.pollFirst();
            }
            written++;
        }
    }

    private synchronized void reportStillFailing(Exception e) {
        reopenNeeded = true;
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean news = heldSinceLastLog > 0 || lostSinceLastLog > 0 || !error.equals(lastError);
        lastError = error;
        if (!news) {
            return; // nothing new to say: a long outage does not fill the log
        }
        LOG.error(
                "Cannot write the audit file ({}): {} event(s) held in memory (limit {}), {} new; {} lost"
                        + " since the last report. Answers keep flowing; the held events are written when"
                        + " the file can be written again, and readiness reports 'audit' DOWN until then.",
                error,
                held.size(),
                backlogLimit,
                heldSinceLastLog,
                lostSinceLastLog);
        heldSinceLastLog = 0;
        lostSinceLastLog = 0;
    }

    /**
     * Stops the timer and tries the disk a last time; events still held then are logged whole at
     * ERROR, the only record left of them (events hold no secrets and no raw DTMF).
     */
    @Override
    public void close() throws IOException {
        timer.close();
        if (failing) {
            writeHeld();
        }
        synchronized (this) {
            for (HeldLine line : held) {
                LOG.error(
                        "Audit event never written to DATA_DIR/audit (stopping while it cannot be written): {}",
                        line.line());
            }
            held.clear();
        }
        log.close();
    }

    private record HeldLine(LocalDate day, String line) {}
}
