package dev.cxoneroutes.audit;

import dev.cxoneroutes.files.LineAppender;
import dev.cxoneroutes.results.FanOutEvent;
import dev.cxoneroutes.results.ResultEvents;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
 *
 * <p>A failure is thrown to the caller; {@link AuditRecorder} decides what a failure means for the
 * event (it is held and written later) and when to try the disk again ({@link #reopen}).
 */
public final class AuditLog implements Closeable {

    /** Today's and yesterday's files stay open: a late event for yesterday does not reopen anything. */
    private static final int OPEN_DAYS = 2;

    private final Path auditDir;
    private final ReadWriteLock days = new ReentrantReadWriteLock();
    private final TreeMap<LocalDate, LineAppender> open = new TreeMap<>(); // guarded by days
    /** The identity (inode) of each open file when it was opened: to notice it moved away. */
    private final Map<LocalDate, Object> openedAs = new HashMap<>(); // guarded by days

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

    /** The UTC day whose file holds the event. */
    public static LocalDate dayOf(FanOutEvent event) {
        return event.timestamp().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * Appends the event as one line and returns once it is written (synced at most once per sync interval).
     *
     * @throws IOException when the line could not be written; the caller decides whether that may
     *     delay anything (it must not delay the caller's answer)
     */
    public void append(FanOutEvent event) throws IOException {
        append(dayOf(event), event.toJson());
    }

    /** Appends one line (an event's JSON) to the file of the given UTC day. */
    public void append(LocalDate day, String line) throws IOException {
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
            openedAs.put(day, identityOf(fileFor(day)));
        }
        while (open.size() > OPEN_DAYS) {
            Map.Entry<LocalDate, LineAppender> oldest =
                    open.firstKey().equals(day) ? open.higherEntry(day) : open.firstEntry();
            open.remove(oldest.getKey());
            openedAs.remove(oldest.getKey());
            oldest.getValue().close();
        }
        return appender;
    }

    /**
     * Closes every open file, so that the next append opens its file afresh: after a failed write
     * the file may be gone or its folder replaced, and a descriptor that failed once is not trusted.
     */
    public void reopen() {
        days.writeLock().lock();
        try {
            closeQuietly(open.values());
            open.clear();
            openedAs.clear();
        } finally {
            days.writeLock().unlock();
        }
    }

    /**
     * True when an open file is no longer at its path (moved, deleted, its folder replaced): lines
     * appended to it would land in a file nobody reads. {@link AuditRecorder} asks once a second and
     * then {@link #reopen}s, so the next line goes to the path again, or fails there for all to see.
     */
    public boolean filesMovedAway() {
        days.readLock().lock();
        try {
            for (Map.Entry<LocalDate, Object> opened : openedAs.entrySet()) {
                if (!Objects.equals(opened.getValue(), identityOf(fileFor(opened.getKey())))) {
                    return true;
                }
            }
            return false;
        } finally {
            days.readLock().unlock();
        }
    }

    /** The file's inode (or the platform's equivalent), or null when there is no such file. */
    private static Object identityOf(Path file) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object key = attributes.fileKey();
            // Without inodes (Windows) the creation time is the best identity there is.
            return key != null ? key : attributes.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(Iterable<LineAppender> appenders) {
        for (LineAppender appender : appenders) {
            try {
                appender.close();
            } catch (IOException e) {
                // A descriptor that cannot even close is what reopening leaves behind.
            }
        }
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
            openedAs.clear();
            if (failure != null) {
                throw failure;
            }
        } finally {
            days.writeLock().unlock();
        }
    }
}
