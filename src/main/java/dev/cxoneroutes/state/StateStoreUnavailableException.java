package dev.cxoneroutes.state;

/**
 * The shared state store (STATE_STORE_URL) cannot be reached. The request that needed it is answered
 * 503 STATE_STORE_UNAVAILABLE with Retry-After (CONTRACT §3); nothing was sent to CXone.
 */
public class StateStoreUnavailableException extends RuntimeException {

    public StateStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
