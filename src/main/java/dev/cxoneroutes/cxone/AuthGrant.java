package dev.cxoneroutes.cxone;

import java.util.Locale;

/** The OAuth 2.0 grant used to obtain CXone tokens. */
public enum AuthGrant {
    /** {@code grant_type=client_credentials} with the client id and secret in the form. */
    CLIENT_CREDENTIALS,
    /** CXone's back-end app grant: client id and secret as HTTP Basic, the access key as username and password. */
    PASSWORD;

    public static AuthGrant parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "client_credentials" -> CLIENT_CREDENTIALS;
            case "password" -> PASSWORD;
            default -> throw new IllegalStateException(
                    "CXONE_AUTH_GRANT must be client_credentials or password, got '" + value + "'");
        };
    }
}
