package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cxoneroutes.metrics.ServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What follows one delivery attempt: done, a scheduled retry, or the dead-letter file. */
class WebhookAttemptTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final WebhookBackoff BACKOFF =
            new WebhookBackoff(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(10));

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final DefaultCamelContext camel = new DefaultCamelContext();
    HttpServer receiver;
    WebhookAttempt attempt;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(
                    Integer.parseInt(exchange.getRequestURI().getPath().substring(1)), -1);
            exchange.close();
        });
        receiver.start();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        WebhookPoster poster = new WebhookPoster(
                WebhookPoster.client(Duration.ofSeconds(2)), Optional.empty(), Duration.ofSeconds(2), clock);
        attempt = new WebhookAttempt(poster, BACKOFF, new ServiceMetrics(meters), clock);
    }

    @AfterEach
    void stop() throws Exception {
        receiver.stop(0);
        camel.close();
    }

    @Test
    void is_done_when_the_receiver_answers_2xx() {
        Exchange exchange = queued(WebhookDelivery.create("{}", url(200), NOW.minusSeconds(1)));

        attempt.attempt(exchange);

        assertThat(exchange.getProperty(WebhookAttempt.NEXT)).isEqualTo("done");
        assertThat(meters.counter("cti.webhook.deliveries", "outcome", "success")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void schedules_a_retry_with_the_same_webhook_id_and_no_inbound_headers() {
        WebhookDelivery queued = WebhookDelivery.create("{}", url(503), NOW.minusSeconds(1));
        Exchange exchange = queued(queued);
        exchange.getMessage().setHeader(WebhookAttempt.SCHEDULED_DELIVERY, 1L);
        exchange.getMessage().setHeader("JMSMessageID", "ID:previous");

        attempt.attempt(exchange);

        assertThat(exchange.getProperty(WebhookAttempt.NEXT)).isEqualTo("retry");
        WebhookDelivery retry = WebhookDelivery.fromJson(exchange.getMessage().getBody(String.class));
        assertThat(retry.webhookId()).isEqualTo(queued.webhookId());
        assertThat(retry.attempts()).isEqualTo(1);
        assertThat(retry.lastError()).isEqualTo("HTTP 503");
        long dueAt = exchange.getMessage().getHeader(WebhookAttempt.SCHEDULED_DELIVERY, Long.class);
        // The first wait is 5 s, jittered down to no less than half of it.
        assertThat(dueAt - NOW.toEpochMilli()).isBetween(2_500L, 5_000L);
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(WebhookAttempt.SCHEDULED_DELIVERY);
        assertThat(meters.counter("cti.webhook.deliveries", "outcome", "error").count())
                .isEqualTo(1);
    }

    @Test
    void dead_letters_once_the_budget_is_spent() {
        WebhookDelivery old = WebhookDelivery.create("{}", url(500), NOW.minus(Duration.ofMinutes(10)))
                .afterFailedAttempt("HTTP 500");
        Exchange exchange = queued(old);

        attempt.attempt(exchange);

        assertThat(exchange.getProperty(WebhookAttempt.NEXT)).isEqualTo("dead-letter");
        assertThat(WebhookDelivery.fromJson(exchange.getMessage().getBody(String.class))
                        .attempts())
                .isEqualTo(2);
        assertThat(exchange.getMessage().getHeaders()).isEmpty();
    }

    @Test
    void drops_a_message_that_is_not_a_delivery_instead_of_looping_on_it() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody("not a delivery");

        attempt.attempt(exchange);

        assertThat(exchange.getProperty(WebhookAttempt.NEXT)).isEqualTo("done");
    }

    private Exchange queued(WebhookDelivery delivery) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(delivery.toJson());
        return exchange;
    }

    private String url(int status) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/" + status;
    }
}
