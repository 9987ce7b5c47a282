package dev.cxoneroutes.cxone;

import java.util.List;
import java.util.regex.Pattern;

/** Removes our secrets and anything shaped like a credential from text we pass on from CXone. */
public final class SecretScrubber {

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern TOKEN_FIELD = Pattern.compile(
            "(?i)(\"?(access_token|refresh_token|id_token|client_secret|password|secret)\"?\\s*[:=]\\s*\"?)[^\",&\\s}]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final int MAX_LENGTH = 1000;

    private final List<String> secrets;

    public SecretScrubber(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    public String scrub(String text) {
        if (text == null) {
            return "";
        }
        String scrubbed = text;
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, "[redacted]");
        }
        scrubbed = BEARER.matcher(scrubbed).replaceAll("$1 [redacted]");
        scrubbed = TOKEN_FIELD.matcher(scrubbed).replaceAll("$1[redacted]");
        scrubbed = JWT.matcher(scrubbed).replaceAll("[redacted]");
        return scrubbed.length() > MAX_LENGTH ? scrubbed.substring(0, MAX_LENGTH) + "…" : scrubbed;
    }
}
