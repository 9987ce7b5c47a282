package dev.cxoneroutes.state;

import dev.cxoneroutes.files.SegmentSpool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link AnswerStore}, for one instance: answers kept for the retention time and at most
 * {@code maxEntries} of them (oldest dropped first), in an embedded key/value store under
 * {@code DATA_DIR/state}. Claims are held in memory: only this process uses the file (MVStore locks
 * it), and a claim must not outlive its process anyway.
 *
 * <p>Why on disk: a JMS message whose answer was recorded but whose acknowledgement was lost (kill -9
 * between the two) is delivered again after a restart, and must be answered from here instead of
 * bridging the call a second time; an HTTP client retrying across a restart deserves the same.
 *
 * <p>Why H2's MVStore: a single-file, crash-safe (append-only, checksummed chunks) ordered map with
 * no server and no schema. A Camel idempotent repository only remembers keys, not the answer to
 * replay, and the file-based one rewrites or grows its whole file; a SQL database would bring a
 * schema and a connection pool for two maps.
 *
 * <p>Durability: every {@link #remember} and {@link #rememberSoon} has appended the answer to the
 * store's write-ahead log ({@code <file>.wal/}, a {@link SegmentSpool}) before it returns: one
 * {@code write}, so it survives the process being killed. The MVStore file itself is committed
 * once a second by the log's own thread, which then deletes the log segments that commit covered;
 * opening the store first puts what the log still holds into the maps. Until this log, every
 * answer waited for an MVStore commit (serialising the changed B-tree pages and writing a chunk):
 * at 200 req/s on an idle machine one answer in four waited over 1 ms for it, one in a hundred
 * 8 ms (JFR, bench/README.md). Nothing is fsynced (that would cost a disk flush per request): an
 * operating system crash can lose the last second or so of answers.
 */
public final class MvStoreAnswerStore implements AnswerStore {

    private static final Logger LOG = LoggerFactory.getLogger(MvStoreAnswerStore.class);
    private static final String SEPARATOR = "\n";
    /** How often the store file is committed (and the log segments it covers deleted). */
    static final Duration COMMIT_PAUSE = Duration.ofSeconds(1);

    private final MVStore store;
    /** key → "sequence \n storedAtMillis \n status \n body". */
    private final MVMap<String, String> answers;
    /** sequence → key, oldest first: what to drop when the store is full or answers expire. */
    private final MVMap<Long, String> arrivalOrder;

    private final Duration retention;
    private final long maxEntries;
    private final Clock clock;
    /** key → holder of its claim ("" when none was named). */
    private final Map<String, String> claims = new ConcurrentHashMap<>();

    private long nextSequence; // guarded by this

    /** The write-ahead log; null for a store in memory only. */
    private final SegmentSpool log;

    private MvStoreAnswerStore(
            MVStore store, Path logDir, Duration commitPause, Duration retention, long maxEntries, Clock clock)
            throws IOException {
        this.store = store;
        this.answers = store.openMap("answers");
        this.arrivalOrder = store.openMap("arrival-order");
        this.retention = retention;
        this.maxEntries = maxEntries;
        this.clock = clock;
        if (logDir != null) {
            replayLog(logDir);
        }
        Long last = arrivalOrder.lastKey();
        this.nextSequence = last == null ? 0 : last + 1;
        if (logDir == null) {
            this.log = null;
        } else {
            // Its lines are in the maps already: a segment is taken by committing the store.
            this.log =
                    new SegmentSpool(logDir, "answer-store-log", segment -> store.commit(), commitPause, commitPause);
            log.start();
        }
    }

    /** Opens (creating it if needed) the store file; a second process cannot open it at the same time. */
    public static MvStoreAnswerStore open(Path file, Duration retention, long maxEntries, Clock clock)
            throws IOException {
        return open(file, COMMIT_PAUSE, retention, maxEntries, clock);
    }

    /** @param commitPause how often the store file is committed: for tests that need the log to stay */
    static MvStoreAnswerStore open(Path file, Duration commitPause, Duration retention, long maxEntries, Clock clock)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // The page cache only speeds up reads (replays are rare) and the walk to the maps' ends
        // that every put makes: 4 MB holds those pages; MVStore's default 16 MB sat in the old
        // generation of a 256 MB heap (heap histogram under load).
        // No auto-commit: the log's thread commits once a second; MVStore's own would also commit
        // from whichever request thread pushed its unsaved pages past a threshold.
        MVStore store = new MVStore.Builder()
                .fileName(file.toString())
                .cacheSize(4)
                .autoCommitDisabled()
                .open();
        try {
            return new MvStoreAnswerStore(store, logDirOf(file), commitPause, retention, maxEntries, clock);
        } catch (IOException | RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    /** The write-ahead log of the store file: a folder beside it. */
    public static Path logDirOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".wal");
    }

    /** A store that lives as long as the JVM: for unit tests. */
    public static MvStoreAnswerStore inMemory(Duration retention, long maxEntries, Clock clock) {
        try {
            return new MvStoreAnswerStore(new MVStore.Builder().open(), null, null, retention, maxEntries, clock);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Puts what an earlier run logged but did not commit into the maps, in the order it was logged
     * (a later answer under the same key wins, as it did then), commits, and deletes the log.
     */
    private void replayLog(Path logDir) throws IOException {
        List<Path> segments = SegmentSpool.segments(logDir);
        if (segments.isEmpty()) {
            return;
        }
        for (Path segment : segments) {
            for (String line : SegmentSpool.readWholeLines(segment)) {
                try {
                    int tab = line.indexOf('\t');
                    String key = unescape(line.substring(0, tab));
                    String value = unescape(line.substring(tab + 1));
                    long sequence = Long.parseLong(value.substring(0, value.indexOf(SEPARATOR)));
                    answers.put(key, value);
                    arrivalOrder.put(sequence, key);
                } catch (RuntimeException unreadable) {
                    // Not written whole (an OS crash or a disk error mid-write): never acknowledged.
                    LOG.warn("Skipped an unreadable line in {} of the idempotency store's log", segment);
                }
            }
        }
        synchronized (this) {
            dropOldest();
        }
        store.commit();
        for (Path segment : segments) {
            Files.delete(segment);
        }
    }

    @Override
    public boolean claim(String key, String holder) {
        return find(key).isEmpty() && claims.putIfAbsent(key, holder == null ? "" : holder) == null;
    }

    /**
     * In memory, like the claims: after a restart no claim is open, so a JMS message redelivered
     * after a kill -9 that caught its CXone call open is sent again (one instance only; shared
     * PostgreSQL keeps claims across instances).
     */
    @Override
    public boolean claimHeldBy(String key, String holder) {
        return holder != null && holder.equals(claims.get(key)) && find(key).isEmpty();
    }

    @Override
    public void release(String key) {
        claims.remove(key);
    }

    @Override
    public boolean reachable() {
        return !store.isClosed();
    }

    @Override
    public Optional<StoredAnswer> find(String key) {
        String value = answers.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(SEPARATOR, 4);
        if (expired(Long.parseLong(parts[1]))) {
            return Optional.empty();
        }
        return Optional.of(new StoredAnswer(Integer.parseInt(parts[2]), parts[3]));
    }

    /** Keeps the answer, writing it to the write-ahead log before returning. */
    @Override
    public void remember(String key, StoredAnswer answer) {
        synchronized (this) {
            String value = put(key, answer);
            if (log != null) {
                // Under the same lock as the put: the log holds a key's answers in the order the
                // maps got them, which is the order a replay puts them back.
                try {
                    log.append(escape(key) + '\t' + escape(value));
                } catch (IOException e) {
                    // In the maps, so committed with the next commit, but not safe from a kill yet.
                    throw new StateStoreUnavailableException("The answer store could not write: " + e.getMessage(), e);
                }
            }
        }
        claims.remove(key);
    }

    /** Holds the lock. Puts the answer in the maps (a repeat finds it from now on); returns the stored value. */
    private String put(String key, StoredAnswer answer) {
        long sequence = nextSequence++;
        String value = sequence + SEPARATOR + clock.millis() + SEPARATOR + answer.status() + SEPARATOR + answer.body();
        answers.put(key, value);
        arrivalOrder.put(sequence, key);
        dropOldest();
        return value;
    }

    /** A log line holds no line break, and its key no tab: both escaped, with the escape itself. */
    static String escape(String text) {
        if (text.indexOf('\\') < 0 && text.indexOf('\n') < 0 && text.indexOf('\t') < 0) {
            return text;
        }
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }

    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                plain.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    public long size() {
        return answers.sizeAsLong();
    }

    /** Drops expired answers and, past the bound, the oldest ones. Each put drops what it pushed out. */
    private void dropOldest() {
        while (true) {
            Map.Entry<Long, String> oldest = firstEntry();
            if (oldest == null) {
                return;
            }
            String value = answers.get(oldest.getValue());
            boolean stale = value == null || !value.startsWith(oldest.getKey() + SEPARATOR); // key written again since
            boolean drop =
                    stale || answers.sizeAsLong() > maxEntries || expired(Long.parseLong(value.split(SEPARATOR, 3)[1]));
            if (!drop) {
                return;
            }
            arrivalOrder.remove(oldest.getKey());
            if (!stale) {
                answers.remove(oldest.getValue());
            }
        }
    }

    private Map.Entry<Long, String> firstEntry() {
        Long first = arrivalOrder.firstKey();
        return first == null ? null : Map.entry(first, arrivalOrder.get(first));
    }

    private boolean expired(long storedAtMillis) {
        return clock.millis() - storedAtMillis > retention.toMillis();
    }

    /** Stops the log, commits the store (everything logged is in it then), and deletes the log. */
    @Override
    public void close() {
        if (log == null) {
            store.close();
            return;
        }
        try {
            log.close();
            store.commit();
            for (Path segment : SegmentSpool.segments(log.dir())) {
                Files.delete(segment);
            }
        } catch (IOException e) {
            // The log stays, and is put into the store again at the next open: nothing is lost.
            throw new java.io.UncheckedIOException(e);
        } finally {
            store.close();
        }
    }
}
