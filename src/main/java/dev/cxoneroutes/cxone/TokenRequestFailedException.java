package dev.cxoneroutes.cxone;

import java.util.Optional;

/** The token endpoint answered something other than a token. */
public final class TokenRequestFailedException extends RuntimeException {

    private final int statusCode;
    private final Optional<String> retryAfter;

    public TokenRequestFailedException(int statusCode, Optional<String> retryAfter) {
        super("CXone token endpoint answered HTTP " + statusCode);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    public int statusCode() {
        return statusCode;
    }

    public Optional<String> retryAfter() {
        return retryAfter;
    }
}
