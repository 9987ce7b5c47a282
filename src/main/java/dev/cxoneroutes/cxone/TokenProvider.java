package dev.cxoneroutes.cxone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supplies CXone bearer tokens. A token is cached and reused until 60 seconds before it expires;
 * however many callers race for an expired token, one fetch runs and the others wait for it.
 *
 * <p>Failures surface as {@link TokenRequestFailedException} (the endpoint answered, with a
 * status) or {@link IOException}-caused {@link UncheckedIOException} (it did not), so the CXone
 * retry policy treats a token endpoint's 5xx like any other CXone 5xx.
 */
public class TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TokenProvider.class);
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private final CxoneSettings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final Runnable onFetch;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile CachedToken cached;
    private volatile String discoveredTokenUrl;

    public TokenProvider(CxoneSettings settings, HttpClient http, ObjectMapper json, Clock clock, Runnable onFetch) {
        this.settings = settings;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.onFetch = onFetch;
    }

    /** A valid access token, fetched only when the cached one is missing or about to expire. */
    public String accessToken() {
        CachedToken token = cached;
        if (token != null && token.usableAt(clock.instant())) {
            return token.value();
        }
        fetchLock.lock();
        try {
            token = cached;
            if (token == null || !token.usableAt(clock.instant())) {
                token = fetch();
                cached = token;
            }
            return token.value();
        } finally {
            fetchLock.unlock();
        }
    }

    /** CXone refused this token: forget it so the next call fetches a fresh one. */
    public void invalidate(String rejectedToken) {
        CachedToken token = cached;
        if (token != null && token.value().equals(rejectedToken)) {
            cached = null;
        }
    }

    /** True when the token endpoint can be resolved and a token is held or obtainable. */
    public boolean isUsable() {
        try {
            accessToken();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private CachedToken fetch() {
        Instant requestedAt = clock.instant();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenUrl()))
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        Map<String, String> form = new LinkedHashMap<>();
        if (settings.grant() == AuthGrant.PASSWORD) {
            String basic = settings.clientId() + ":" + settings.clientSecret();
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
            form.put("grant_type", "password");
            form.put("username", settings.accessKeyId());
            form.put("password", settings.accessKeySecret());
        } else {
            form.put("grant_type", "client_credentials");
            form.put("client_id", settings.clientId());
            form.put("client_secret", settings.clientSecret());
        }
        form.put("scope", settings.scopes());
        onFetch.run();
        HttpResponse<String> response = send(
                request.POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
        if (response.statusCode() / 100 != 2) {
            throw new TokenRequestFailedException(
                    response.statusCode(), response.headers().firstValue("Retry-After"));
        }
        JsonNode body = readJson(response.body());
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new TokenRequestFailedException(502, java.util.Optional.empty());
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        LOG.info("Fetched a CXone access token ({} grant), valid for {} s", settings.grant(), expiresIn);
        return new CachedToken(accessToken, requestedAt.plusSeconds(expiresIn), refreshMargin(expiresIn));
    }

    private String tokenUrl() {
        if (settings.tokenUrl().isPresent()) {
            return settings.tokenUrl().get();
        }
        String url = discoveredTokenUrl;
        if (url == null) {
            String issuer = settings.issuer().orElseThrow();
            HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(settings.timeout())
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            HttpResponse<String> response = send(discovery);
            if (response.statusCode() / 100 != 2) {
                throw new TokenRequestFailedException(
                        response.statusCode() >= 500 ? response.statusCode() : 502, java.util.Optional.empty());
            }
            url = readJson(response.body()).path("token_endpoint").asText("");
            if (url.isEmpty()) {
                throw new TokenRequestFailedException(502, java.util.Optional.empty());
            }
            LOG.info("Discovered the CXone token endpoint {} from issuer {}", url, issuer);
            discoveredTokenUrl = url;
        }
        return url;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching a CXone token", e);
        }
    }

    private JsonNode readJson(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new TokenRequestFailedException(502, java.util.Optional.empty());
        }
    }

    /** Tokens shorter-lived than two margins are refreshed at half their life instead. */
    private static Duration refreshMargin(long expiresInSeconds) {
        Duration half = Duration.ofSeconds(expiresInSeconds / 2);
        return half.compareTo(REFRESH_MARGIN) < 0 ? half : REFRESH_MARGIN;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private record CachedToken(String value, Instant expiresAt, Duration margin) {
        boolean usableAt(Instant now) {
            return now.isBefore(expiresAt.minus(margin));
        }

        @Override
        public String toString() {
            return "CachedToken[expiresAt=" + expiresAt + "]";
        }
    }
}
