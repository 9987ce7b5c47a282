package dev.cxoneroutes.audit;

import dev.cxoneroutes.files.LineAppender;
import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultEvents;
import dev.cxoneroutes.results.ResultPublication;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The audit trail: every {@link FanOutEvent} as one JSON line in
 * {@code DATA_DIR/audit/audit-YYYY-MM-DD.jsonl} (CONTRACT §6). The day is the UTC date of the
 * event's own timestamp, so an event stamped 23:59:59.999 lands in that day's file even when it is
 * written a moment after midnight; the files roll at UTC midnight as the events' timestamps do.
 *
 * <p>Lines are never torn or interleaved, and {@link #append} returns once the line is on disk
 * (see {@link LineAppender}). Existing files are only ever appended to, also across restarts.
 *
 * <p>The date comes from the event, not from a clock of this class: one source of truth for "when",
 * the clock of {@link ResultEvents}.
 */
public final class AuditLog implements Closeable, Processor {

    /** Today's and yesterday's files stay open: a late event for yesterday does not reopen anything. */
    private static final int OPEN_DAYS = 2;

    private final Path auditDir;
    private final ReadWriteLock days = new ReentrantReadWriteLock();
    private final TreeMap<LocalDate, LineAppender> open = new TreeMap<>(); // guarded by days
    private boolean closed; // guarded by days

    /** @param auditDir the folder of the daily files, normally {@code DATA_DIR/audit}; created when needed */
    private final Duration syncInterval;

    public AuditLog(Path auditDir) {
        this(auditDir, Duration.ZERO);
    }

    /** @param syncInterval how often the file is fsynced at most (zero: on every append) */
    public AuditLog(Path auditDir, Duration syncInterval) {
        this.auditDir = auditDir;
        this.syncInterval = syncInterval;
    }

    /** The file that holds the events of a UTC day. */
    public Path fileFor(LocalDate day) {
        return auditDir.resolve("audit-" + day + ".jsonl");
    }

    /**
     * Appends the event as one line and returns once it is written (synced at most once per sync interval).
     *
     * @throws IOException when the line could not be written; the caller decides whether that may
     *     delay anything (it must not delay the caller's answer)
     */
    /** The {@code results-audit} step: appends the event {@code results-publish} prepared. */
    @Override
    public void process(Exchange exchange) throws IOException {
        append(exchange.getProperty(ResultPublication.EVENT, FanOutEvent.class));
    }

    public void append(FanOutEvent event) throws IOException {
        LocalDate day = event.timestamp().atOffset(ZoneOffset.UTC).toLocalDate();
        String line = event.toJson();
        LineAppender appender;
        days.readLock().lock();
        try {
            appender = open.get(day);
            if (appender != null) {
                appender.append(line);
                return;
            }
        } finally {
            days.readLock().unlock();
        }
        // A new day (or the first event): open its file under the write lock, then append under the
        // read lock taken before letting go of the write lock, so no roll can close it in between.
        days.writeLock().lock();
        try {
            appender = openDay(day);
            days.readLock().lock();
        } finally {
            days.writeLock().unlock();
        }
        try {
            appender.append(line);
        } finally {
            days.readLock().unlock();
        }
    }

    /** Holds the write lock. Opens the day's file and closes the oldest others beyond {@link #OPEN_DAYS}. */
    private LineAppender openDay(LocalDate day) throws IOException {
        if (closed) {
            throw new IOException("The audit log is closed");
        }
        LineAppender appender = open.get(day);
        if (appender == null) {
            appender = LineAppender.open(fileFor(day), syncInterval);
            open.put(day, appender);
        }
        while (open.size() > OPEN_DAYS) {
            Map.Entry<LocalDate, LineAppender> oldest =
                    open.firstKey().equals(day) ? open.higherEntry(day) : open.firstEntry();
            open.remove(oldest.getKey());
            oldest.getValue().close();
        }
        return appender;
    }

    @Override
    public void close() throws IOException {
        days.writeLock().lock();
        try {
            closed = true;
            IOException failure = null;
            for (LineAppender appender : open.values()) {
                try {
                    appender.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            open.clear();
            if (failure != null) {
                throw failure;
            }
        } finally {
            days.writeLock().unlock();
        }
    }
}
