package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cxoneroutes.testing.SampleEvents;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One POST to a CTI receiver: what counts as delivered, and what a bad receiver can cost. */
class WebhookPosterTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    final Map<String, String> received = new ConcurrentHashMap<>();
    final CountDownLatch never = new CountDownLatch(1);
    HttpServer receiver;
    WebhookPoster poster;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/status/", exchange -> {
            received.put(
                    "webhook-id", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
            received.put(
                    "webhook-timestamp",
                    String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp")));
            received.put(
                    "webhook-signature",
                    String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")));
            received.put(
                    "content-type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.createContext("/hang", exchange -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        poster = new WebhookPoster(
                WebhookPoster.client(TIMEOUT),
                Optional.of(new WebhookSigner("poster-test-secret")),
                TIMEOUT,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        never.countDown();
        receiver.stop(0);
    }

    @Test
    void posts_the_body_as_json_with_the_standard_webhooks_headers() {
        WebhookDelivery delivery = delivery("/status/204");

        assertThat(poster.post(delivery)).isEqualTo(new WebhookPoster.Outcome(true, null));

        assertThat(received)
                .containsEntry("body", delivery.body())
                .containsEntry("content-type", "application/json")
                .containsEntry("webhook-id", delivery.webhookId())
                .containsEntry("webhook-timestamp", Long.toString(NOW.getEpochSecond()))
                .containsEntry(
                        "webhook-signature",
                        new WebhookSigner("poster-test-secret")
                                .signature(delivery.webhookId(), NOW.getEpochSecond(), delivery.bodyBytes()));
    }

    @Test
    void counts_only_a_2xx_as_delivered_and_never_follows_a_redirect() {
        assertThat(poster.post(delivery("/status/500"))).isEqualTo(new WebhookPoster.Outcome(false, "HTTP 500"));
        assertThat(poster.post(delivery("/status/302"))).isEqualTo(new WebhookPoster.Outcome(false, "HTTP 302"));
        assertThat(poster.post(delivery("/status/410"))).isEqualTo(new WebhookPoster.Outcome(false, "HTTP 410"));
    }

    @Test
    void gives_up_on_a_receiver_that_never_answers_after_the_timeout() {
        long started = System.nanoTime();

        WebhookPoster.Outcome outcome = poster.post(delivery("/hang"));

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error()).isIn("no answer within 1 s", "no answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(3));
    }

    @Test
    void describes_a_failure_without_quoting_the_url() {
        int closedPort = receiver.getAddress().getPort();
        receiver.stop(0);
        WebhookDelivery delivery =
                WebhookDelivery.create("{}", "http://127.0.0.1:" + closedPort + "/hook?token=abc", NOW);

        WebhookPoster.Outcome outcome = poster.post(delivery);

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error()).doesNotContain(Integer.toString(closedPort)).doesNotContain("token");
        assertThat(poster.post(WebhookDelivery.create("{}", "ftp://cti.example/x", NOW))
                        .error())
                .isEqualTo("the URL is not a valid http(s) URL");
    }

    private WebhookDelivery delivery(String path) {
        return WebhookDelivery.create(
                SampleEvents.bridgeSuccess(NOW).toJson(),
                "http://127.0.0.1:" + receiver.getAddress().getPort() + path,
                NOW);
    }
}
