package dev.cxoneroutes.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one delivery to its CTI receiver, signed per the Standard Webhooks scheme, and says whether
 * the receiver took it (any 2xx).
 *
 * <p>A slow or hanging receiver costs at most {@code timeout} per attempt, connecting and reading
 * included: the exchange is cancelled when time is up, and the answer's body is never kept, so a
 * receiver cannot make the service hold threads or memory for it.
 */
public class WebhookPoster {

    /** What came of one POST. {@code error} never quotes the URL (it may hold a token) nor the body. */
    public record Outcome(boolean delivered, String error) {
        static Outcome ok() {
            return new Outcome(true, null);
        }

        static Outcome failed(String error) {
            return new Outcome(false, error);
        }
    }

    private final HttpClient http;
    private final Optional<WebhookSigner> signer;
    private final Duration timeout;
    private final Clock clock;

    public WebhookPoster(HttpClient http, Optional<WebhookSigner> signer, Duration timeout, Clock clock) {
        this.http = http;
        this.signer = signer;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** An HTTP/1.1 client that never follows redirects: a receiver's 3xx is not a delivery. */
    public static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    public Outcome post(WebhookDelivery delivery) {
        HttpRequest request;
        try {
            request = request(delivery);
        } catch (IllegalArgumentException badUrl) {
            return Outcome.failed("the URL is not a valid http(s) URL");
        }
        CompletableFuture<HttpResponse<Void>> exchange =
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            int status = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return status / 100 == 2 ? Outcome.ok() : Outcome.failed("HTTP " + status);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return Outcome.failed("no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Outcome.failed(describe(e.getCause()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted (service stopping)");
        }
    }

    private HttpRequest request(WebhookDelivery delivery) {
        URI uri = URI.create(delivery.url());
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not http(s)");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "cxone-routes")
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.bodyBytes()));
        // Each attempt is stamped (and signed) afresh, so a retry passes receivers' freshness checks.
        Instant now = clock.instant();
        Map<String, String> standardHeaders = signer.map(s -> s.headers(delivery, now))
                .orElseGet(() -> Map.of(
                        "webhook-id", delivery.webhookId(),
                        "webhook-timestamp", Long.toString(now.getEpochSecond())));
        standardHeaders.forEach(request::header);
        return request.build();
    }

    /** The kind of failure only: exception messages can quote the host or URL. */
    private static String describe(Throwable failure) {
        if (failure instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (failure instanceof java.net.ConnectException) {
            return "connection refused or unreachable";
        }
        if (failure instanceof IOException) {
            return "connection failed (" + failure.getClass().getSimpleName() + ")";
        }
        return "failed (" + (failure == null ? "unknown" : failure.getClass().getSimpleName()) + ")";
    }
}
