package dev.cxoneroutes.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

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
 * <p>Durability: every {@link #remember} is written to the file before it returns, and every
 * {@link #rememberSoon} before its future completes, so it survives the process being killed. One
 * committer thread writes, for every answer put since its last commit (a group commit), while the
 * request threads go on: an answer's write overlaps its event's publication. It is not fsynced
 * (that would cost a disk flush per request): an operating system crash can lose the last second
 * or so of answers, as MVStore's background writer syncs them.
 */
public final class MvStoreAnswerStore implements AnswerStore {

    private static final String SEPARATOR = "\n";

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

    // Group commit: answers put in the maps wait here for the committer's next commit.
    private final ReentrantLock commitLock = new ReentrantLock();
    private final Condition answersWaiting = commitLock.newCondition();
    private List<Uncommitted> uncommitted = new ArrayList<>(); // guarded by commitLock
    private boolean closing; // guarded by commitLock
    private final Thread committer;

    /** An answer in the maps, not yet in the file. */
    private record Uncommitted(String key, CompletableFuture<Void> written) {}

    private MvStoreAnswerStore(MVStore store, Duration retention, long maxEntries, Clock clock) {
        this.store = store;
        this.answers = store.openMap("answers");
        this.arrivalOrder = store.openMap("arrival-order");
        this.retention = retention;
        this.maxEntries = maxEntries;
        this.clock = clock;
        Long last = arrivalOrder.lastKey();
        this.nextSequence = last == null ? 0 : last + 1;
        this.committer = new Thread(this::commitWhileOpen, "answer-store-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** Opens (creating it if needed) the store file; a second process cannot open it at the same time. */
    public static MvStoreAnswerStore open(Path file, Duration retention, long maxEntries, Clock clock)
            throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // The page cache only speeds up reads (replays are rare) and the walk to the maps' ends
        // that every put makes: 4 MB holds those pages; MVStore's default 16 MB sat in the old
        // generation of a 256 MB heap (heap histogram under load).
        MVStore store =
                new MVStore.Builder().fileName(file.toString()).cacheSize(4).open();
        return new MvStoreAnswerStore(store, retention, maxEntries, clock);
    }

    /** A store that lives as long as the JVM: for unit tests. */
    public static MvStoreAnswerStore inMemory(Duration retention, long maxEntries, Clock clock) {
        return new MvStoreAnswerStore(new MVStore.Builder().open(), retention, maxEntries, clock);
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

    /** Keeps the answer, writing it to the file before returning. */
    @Override
    public void remember(String key, StoredAnswer answer) {
        try {
            rememberSoon(key, answer).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Puts the answer in the maps (a repeat finds it from now on) and returns at once; the future
     * completes once the committer has written it to the file, and the key's claim has ended.
     * Request threads used to commit themselves, one at a time for everyone waiting: the answer
     * then waited for the write (2.8 ms on average at 200 req/s, JFR) before its event was even
     * published; now the two overlap.
     */
    @Override
    public CompletableFuture<Void> rememberSoon(String key, StoredAnswer answer) {
        put(key, answer);
        CompletableFuture<Void> written = new CompletableFuture<>();
        commitLock.lock();
        try {
            if (closing) {
                throw new StateStoreUnavailableException("The answer store is closed", null);
            }
            uncommitted.add(new Uncommitted(key, written));
            answersWaiting.signal();
        } finally {
            commitLock.unlock();
        }
        return written;
    }

    private synchronized void put(String key, StoredAnswer answer) {
        long sequence = nextSequence++;
        answers.put(
                key, sequence + SEPARATOR + clock.millis() + SEPARATOR + answer.status() + SEPARATOR + answer.body());
        arrivalOrder.put(sequence, key);
        dropOldest();
    }

    /**
     * The committer: waits for answers, commits once for all of them (each was put before it was
     * queued here, so the commit includes it), then completes their futures. Drains what is queued
     * before the store closes.
     */
    private void commitWhileOpen() {
        while (true) {
            List<Uncommitted> batch;
            commitLock.lock();
            try {
                while (uncommitted.isEmpty() && !closing) {
                    answersWaiting.awaitUninterruptibly();
                }
                if (uncommitted.isEmpty()) {
                    return;
                }
                batch = uncommitted;
                uncommitted = new ArrayList<>();
            } finally {
                commitLock.unlock();
            }
            try {
                store.commit();
                for (Uncommitted answer : batch) {
                    claims.remove(answer.key());
                    answer.written().complete(null);
                }
            } catch (RuntimeException e) {
                StateStoreUnavailableException failure =
                        new StateStoreUnavailableException("The answer store could not write: " + e.getMessage(), e);
                batch.forEach(answer -> answer.written().completeExceptionally(failure));
            }
        }
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

    @Override
    public void close() {
        commitLock.lock();
        try {
            closing = true;
            answersWaiting.signal();
        } finally {
            commitLock.unlock();
        }
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
