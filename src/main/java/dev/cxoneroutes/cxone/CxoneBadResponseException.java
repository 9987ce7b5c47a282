package dev.cxoneroutes.cxone;

/**
 * CXone answered with a success status, but not with what the operation needs: a body that is not
 * JSON, or a guest session without its id or url. The message is safe to show to the caller; it
 * never repeats CXone's body.
 */
public final class CxoneBadResponseException extends RuntimeException {

    private final int statusCode;

    public CxoneBadResponseException(int statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }
}
