package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxoneroutes.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A queued webhook delivery: its id, its retries and its life as a JMS text message. */
class WebhookDeliveryTest {

    static final Instant CREATED = Instant.parse("2026-11-21T10:00:00.250Z");
    static final String BODY = SampleEvents.bridgeSuccess(CREATED).toJson();

    @Test
    void gets_a_webhook_id_of_its_own_for_each_url() {
        List<WebhookDelivery> deliveries =
                WebhookDelivery.forEachUrl(BODY, List.of("https://a.example/hook", "https://b.example/hook"), CREATED);

        assertThat(deliveries)
                .extracting(WebhookDelivery::url)
                .containsExactly("https://a.example/hook", "https://b.example/hook");
        assertThat(deliveries).extracting(WebhookDelivery::body).containsOnly(BODY);
        assertThat(deliveries.get(0).webhookId()).isNotEqualTo(deliveries.get(1).webhookId());
        assertThat(deliveries).allSatisfy(d -> assertThat(d.webhookId()).matches("msg_[0-9a-f-]{36}"));
    }

    @Test
    void gets_a_new_webhook_id_for_every_event() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(WebhookDelivery.create(BODY, "https://a.example/hook", CREATED)
                    .webhookId());
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void keeps_its_webhook_id_and_creation_time_on_every_retry() {
        WebhookDelivery created = WebhookDelivery.create(BODY, "https://a.example/hook", CREATED);

        WebhookDelivery twiceFailed = created.afterFailedAttempt("HTTP 500").afterFailedAttempt("timed out after 10 s");

        assertThat(created.attempts()).isZero();
        assertThat(created.lastError()).isNull();
        assertThat(twiceFailed.webhookId()).isEqualTo(created.webhookId());
        assertThat(twiceFailed.createdAt()).isEqualTo(CREATED);
        assertThat(twiceFailed.body()).isEqualTo(BODY);
        assertThat(twiceFailed.attempts()).isEqualTo(2);
        assertThat(twiceFailed.lastError()).isEqualTo("timed out after 10 s");
        assertThat(twiceFailed.age(CREATED.plusSeconds(90))).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void survives_a_trip_through_a_queue_with_every_character_of_its_body() {
        String awkward = "{\"error_message\":\"quote \\\" backslash \\\\ tab \\t Zoë ☎ 😀\",\"latency_ms\":1.0E-5}";
        WebhookDelivery delivery = WebhookDelivery.create(awkward, "https://a.example/hook?token=t", CREATED)
                .afterFailedAttempt("HTTP 502");

        String message = delivery.toJson();
        WebhookDelivery restored = WebhookDelivery.fromJson(message);

        assertThat(message).doesNotContain("\n");
        assertThat(restored).isEqualTo(delivery);
        assertThat(restored.body()).isEqualTo(awkward);
        assertThat(restored.bodyBytes()).isEqualTo(awkward.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void is_queued_as_snake_case_json() throws Exception {
        WebhookDelivery delivery = new WebhookDelivery("msg_fixed", "https://a.example/hook", "{}", CREATED, 0, null);

        assertThat(delivery.toJson())
                .isEqualTo(
                        "{\"webhook_id\":\"msg_fixed\",\"url\":\"https://a.example/hook\","
                                + "\"body\":\"{}\",\"created_at\":\"2026-11-21T10:00:00.250Z\",\"attempts\":0,\"last_error\":null}");
        assertThat(new ObjectMapper().readTree(delivery.toJson()).size()).isEqualTo(6);
    }

    @Test
    void reads_a_message_from_a_newer_version_with_extra_fields() {
        WebhookDelivery delivery = WebhookDelivery.fromJson("{\"webhook_id\":\"msg_x\",\"url\":\"https://a.example/\","
                + "\"body\":\"{}\",\"created_at\":\"2026-11-21T10:00:00Z\",\"attempts\":3,\"last_error\":\"HTTP 500\","
                + "\"priority\":\"high\"}");

        assertThat(delivery)
                .isEqualTo(new WebhookDelivery(
                        "msg_x", "https://a.example/", "{}", Instant.parse("2026-11-21T10:00:00Z"), 3, "HTTP 500"));
    }

    @Test
    void refuses_a_message_that_is_not_a_delivery() {
        assertThatThrownBy(() -> WebhookDelivery.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookDelivery.fromJson("{\"url\":\"https://a.example/\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookDelivery.fromJson("null")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shows_neither_body_nor_the_secret_parts_of_the_url_when_logged() {
        WebhookDelivery delivery = WebhookDelivery.create(
                "{\"request_id\":\"visible-only-in-body\"}",
                "https://user:pw@hooks.example:8443/T0/B0/s3cr3t?token=abc",
                CREATED);

        assertThat(delivery.toString())
                .contains(delivery.webhookId(), "https://hooks.example:8443/…", "attempts=0")
                .doesNotContain("s3cr3t", "token", "abc", "pw", "visible-only-in-body");
    }
}
