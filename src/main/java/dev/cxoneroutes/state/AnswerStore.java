package dev.cxoneroutes.state;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where Idempotency-Key answers and the claims of requests still running are kept (CONTRACT §3, §9):
 * on disk for one instance ({@link MvStoreAnswerStore}, the default), or in PostgreSQL shared by
 * several ({@link PostgresAnswerStore}, with STATE_STORE_URL). Keys are opaque to the store.
 *
 * <p>The life of a key: one caller {@link #claim}s it and runs the request; it then either
 * {@link #remember}s the answer, which ends the claim, or {@link #release}s the claim (the request
 * failed, and a retry deserves a real second try). Everyone else who claims meanwhile is refused
 * and polls {@link #find} until the answer is there or the claim is gone. A claim whose holder
 * vanished (killed, cut off) lapses after the store's claim lease, so the key is never stuck.
 *
 * <p>A claim may name its holder: the JMS message that runs the request, by its message id. A live
 * instance always remembers or releases its claim before the message's transaction ends, so when
 * the broker delivers that message again and finds the claim still open under its own id
 * ({@link #claimHeldBy}), the instance that held it died while the request ran (IdempotentReplay).
 *
 * <p>Every method may throw {@link StateStoreUnavailableException}.
 */
public interface AnswerStore extends AutoCloseable {

    /** The answer kept under the key, unless it has expired. */
    Optional<StoredAnswer> find(String key);

    /**
     * Claims the key for a request about to run, naming its holder (or null). True for exactly one caller, across every instance
     * sharing the store, until that caller remembers or releases it or its claim lapses; false while
     * another caller holds it or an answer is kept under it.
     */
    boolean claim(String key, String holder);

    /** {@link #claim(String, String)} with no holder named: an HTTP request. */
    default boolean claim(String key) {
        return claim(key, null);
    }

    /** Whether an unanswered claim on the key is open and was taken by this holder. */
    boolean claimHeldBy(String key, String holder);

    /** Keeps the answer for the retention time, ending the claim on the key if any. */
    void remember(String key, StoredAnswer answer);

    /**
     * {@link #remember}, done by the time the future completes (exceptionally with
     * {@link StateStoreUnavailableException}), so the caller can do other work meanwhile. Unless a
     * store does better, it remembers before returning.
     */
    default CompletableFuture<Void> rememberSoon(String key, StoredAnswer answer) {
        remember(key, answer);
        return CompletableFuture.completedFuture(null);
    }

    /** Ends this store's claim on the key, unless an answer was kept under it meanwhile. */
    void release(String key);

    /** Whether the store can be used now: for readiness. Never throws. */
    boolean reachable();

    @Override
    void close();
}
