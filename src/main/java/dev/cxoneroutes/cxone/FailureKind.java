package dev.cxoneroutes.cxone;

/** What went wrong talking to CXone, and whether waiting and trying again can help. */
public enum FailureKind {
    RATE_LIMITED(true),
    SERVER_ERROR(true),
    TIMEOUT(true),
    CONNECTION(true),
    /** CXone refused our bearer token: drop it, fetch another, try once more. */
    STALE_TOKEN(false),
    AUTH_FAILED(false),
    FORBIDDEN(false),
    REJECTED(false),
    CIRCUIT_OPEN(false),
    /**
     * CXone answered 2xx with a body that is not what the operation promises (not JSON, or a guest
     * session without id or url). Not retried: CXone may well have acted on the request.
     */
    BAD_RESPONSE(false),
    UNEXPECTED(false);

    private final boolean transientFailure;

    FailureKind(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
