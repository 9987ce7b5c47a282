package dev.cxoneroutes.cxone;

import dev.cxoneroutes.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where CXone is and how to reach it. Every path and the grant are settings because they differ
 * between tenants and API versions.
 *
 * @param baseUrl the API base URL (the embedded simulator's in sandbox mode)
 * @param sandbox true when no {@code CXONE_BASE_URL} was given and the simulator is used
 * @param tokenUrl the token endpoint, empty when it is to be discovered from the issuer
 */
public record CxoneSettings(
        String baseUrl,
        boolean sandbox,
        Optional<String> tokenUrl,
        Optional<String> issuer,
        AuthGrant grant,
        String clientId,
        String clientSecret,
        String accessKeyId,
        String accessKeySecret,
        String scopes,
        String guestPath,
        String bridgePath,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration timeout) {

    public static final String BASE_URL = "cxone.base-url";
    public static final String DEFAULT_SCOPES = "interactions:guest:write interactions:guest:read interactions:read"
            + " cti:calls:read cti:calls:write cti:bridge:write";

    /**
     * Reads the settings. {@code sandboxBaseUrl} is used when {@code CXONE_BASE_URL} is unset; the
     * sandbox's credentials are fixed, so none are required there.
     */
    public static CxoneSettings load(Settings settings, String sandboxBaseUrl) {
        Optional<String> configuredBase = settings.text(BASE_URL);
        boolean sandbox = configuredBase.isEmpty();
        String baseUrl = stripTrailingSlash(configuredBase.orElse(sandboxBaseUrl));
        Optional<String> issuer = settings.text("cxone.issuer").map(CxoneSettings::stripTrailingSlash);
        Optional<String> tokenUrl = settings.text("cxone.token-url");
        if (tokenUrl.isEmpty() && issuer.isEmpty()) {
            tokenUrl = Optional.of(baseUrl + "/oauth/token");
        }
        int maxAttempts = settings.number("cxone.max-attempts", 4);
        if (maxAttempts < 1) {
            throw new IllegalStateException("CXONE_MAX_ATTEMPTS must be at least 1, got " + maxAttempts);
        }
        return new CxoneSettings(
                baseUrl,
                sandbox,
                tokenUrl,
                issuer,
                AuthGrant.parse(settings.text("cxone.auth-grant", "client_credentials")),
                settings.text("cxone.client-id", sandbox ? "sandbox-client" : ""),
                settings.text("cxone.client-secret", sandbox ? "sandbox-secret" : ""),
                settings.text("cxone.access-key-id", sandbox ? "sandbox-access-key" : ""),
                settings.text("cxone.access-key-secret", sandbox ? "sandbox-access-secret" : ""),
                settings.text("cxone.scopes", DEFAULT_SCOPES),
                settings.text("cxone.guest-path", "/api/v2/interactions/guests"),
                settings.text("cxone.bridge-path", "/api/v2/cti/calls/{callId}/bridge"),
                maxAttempts,
                Duration.ofMillis(settings.number("cxone.initial-backoff-millis", 500)),
                Duration.ofSeconds(settings.number("cxone.max-backoff-seconds", 30)),
                Duration.ofSeconds(settings.number("cxone.timeout-seconds", 30)));
    }

    /** The environment variables live mode needs but did not get, in a stable order. */
    public List<String> missingLiveSettings() {
        List<String> missing = new ArrayList<>();
        if (sandbox) {
            return missing;
        }
        if (clientId.isBlank()) {
            missing.add("CXONE_CLIENT_ID");
        }
        if (clientSecret.isBlank()) {
            missing.add("CXONE_CLIENT_SECRET");
        }
        if (grant == AuthGrant.PASSWORD) {
            if (accessKeyId.isBlank()) {
                missing.add("CXONE_ACCESS_KEY_ID");
            }
            if (accessKeySecret.isBlank()) {
                missing.add("CXONE_ACCESS_KEY_SECRET");
            }
        }
        return missing;
    }

    /** Every secret this service holds for CXone, so error details can be scrubbed of them. */
    public List<String> secrets() {
        return List.of(clientSecret, accessKeySecret).stream()
                .filter(s -> s.length() >= 4)
                .toList();
    }

    public String guestUrl() {
        return baseUrl + guestPath;
    }

    public String bridgeUrl(String callId) {
        return baseUrl + bridgePath.replace("{callId}", callId);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Secrets stay out of logs, even when somebody logs the settings. */
    @Override
    public String toString() {
        return "CxoneSettings[baseUrl=" + baseUrl + ", sandbox=" + sandbox + ", tokenUrl="
                + tokenUrl.orElse("(discovered)") + ", grant=" + grant + ", clientId=" + clientId + ", maxAttempts="
                + maxAttempts + "]";
    }
}
