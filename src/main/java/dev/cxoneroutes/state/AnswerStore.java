package dev.cxoneroutes.state;

import java.util.Optional;

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
 * <p>Every method may throw {@link StateStoreUnavailableException}.
 */
public interface AnswerStore extends AutoCloseable {

    /** The answer kept under the key, unless it has expired. */
    Optional<StoredAnswer> find(String key);

    /**
     * Claims the key for a request about to run. True for exactly one caller, across every instance
     * sharing the store, until that caller remembers or releases it or its claim lapses; false while
     * another caller holds it or an answer is kept under it.
     */
    boolean claim(String key);

    /** Keeps the answer for the retention time, ending the claim on the key if any. */
    void remember(String key, StoredAnswer answer);

    /** Ends this store's claim on the key, unless an answer was kept under it meanwhile. */
    void release(String key);

    /** Whether the store can be used now: for readiness. Never throws. */
    boolean reachable();

    @Override
    void close();
}
