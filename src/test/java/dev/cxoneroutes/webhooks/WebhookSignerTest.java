package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures, checked against the spec's own vector and an independent HMAC. */
class WebhookSignerTest {

    static final String SECRET_A = "whsec_"
            + Base64.getEncoder().encodeToString("first key of thirty-two bytes!!!".getBytes(StandardCharsets.UTF_8));
    static final String SECRET_B = "whsec_"
            + Base64.getEncoder().encodeToString("the rotated-in second key, 32 b!".getBytes(StandardCharsets.UTF_8));

    /**
     * The signing test vector published with the Standard Webhooks reference libraries:
     * github.com/standard-webhooks/standard-webhooks, libraries/go/webhook_test.go (TestWebhookSign)
     * and libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java (verifyWebhookSignWorks).
     */
    @Test
    void matches_the_standard_webhooks_published_test_vector() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        String signature = signer.signature(
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void signs_id_timestamp_and_body_with_the_base64_key_after_whsec() {
        byte[] body = "{\"event_type\":\"bridge_attempt\",\"request_id\":\"r-1\",\"note\":\"Zoë ☎\"}"
                .getBytes(StandardCharsets.UTF_8);

        String signature = new WebhookSigner(SECRET_A).signature("msg_1", 1_790_000_000L, body);

        String signedContent = "msg_1.1790000000." + new String(body, StandardCharsets.UTF_8);
        assertThat(signature).isEqualTo("v1," + independentHmac(decoded(SECRET_A), signedContent));
    }

    @Test
    void uses_the_utf8_bytes_of_a_secret_without_the_prefix() {
        String plain = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        String signature = new WebhookSigner(plain).signature("msg_2", 1L, body);

        assertThat(signature)
                .isEqualTo("v1," + independentHmac(plain.getBytes(StandardCharsets.UTF_8), "msg_2.1.{}"))
                .isNotEqualTo(new WebhookSigner("whsec_" + plain).signature("msg_2", 1L, body));
    }

    @Test
    void carries_both_signatures_space_separated_during_a_key_rotation() {
        byte[] body = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

        WebhookSigner signer = new WebhookSigner(SECRET_A + " , " + SECRET_B);

        assertThat(signer.keyCount()).isEqualTo(2);
        assertThat(signer.signature("msg_3", 1_790_000_000L, body))
                .isEqualTo("v1," + independentHmac(decoded(SECRET_A), "msg_3.1790000000.{\"success\":true}") + " v1,"
                        + independentHmac(decoded(SECRET_B), "msg_3.1790000000.{\"success\":true}"));
    }

    @Test
    void a_receiver_holding_either_key_can_verify() {
        byte[] body = "{\"rotation\":1}".getBytes(StandardCharsets.UTF_8);
        String header = new WebhookSigner(SECRET_A + "," + SECRET_B).signature("msg_4", 42L, body);

        assertThat(header.split(" "))
                .containsExactlyInAnyOrder(
                        new WebhookSigner(SECRET_A).signature("msg_4", 42L, body),
                        new WebhookSigner(SECRET_B).signature("msg_4", 42L, body));
    }

    @Test
    void gives_the_three_headers_of_an_attempt_with_the_deliverys_id() {
        WebhookDelivery delivery = WebhookDelivery.create(
                "{\"event_type\":\"handoff_attempt\"}",
                "https://cti.example/hook",
                Instant.parse("2026-11-21T10:00:00Z"));
        WebhookSigner signer = new WebhookSigner(SECRET_A);

        Map<String, String> first = signer.headers(delivery, Instant.parse("2026-11-21T10:00:00.900Z"));
        Map<String, String> retry =
                signer.headers(delivery.afterFailedAttempt("HTTP 503"), Instant.parse("2026-11-21T10:00:05Z"));

        assertThat(first).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(first.get("webhook-id")).isEqualTo(delivery.webhookId());
        assertThat(first.get("webhook-timestamp")).isEqualTo("1795255200");
        assertThat(first.get("webhook-signature"))
                .isEqualTo("v1,"
                        + independentHmac(
                                decoded(SECRET_A),
                                delivery.webhookId() + ".1795255200.{\"event_type\":\"handoff_attempt\"}"));
        assertThat(retry.get("webhook-id")).isEqualTo(delivery.webhookId());
        assertThat(retry.get("webhook-timestamp")).isEqualTo("1795255205");
        assertThat(retry.get("webhook-signature")).isNotEqualTo(first.get("webhook-signature"));
    }

    @Test
    void never_shows_a_secret_in_its_description_or_its_errors() {
        String secret =
                "whsec_" + Base64.getEncoder().encodeToString("do-not-leak-me".getBytes(StandardCharsets.UTF_8));
        String broken = "whsec_not*base64!do-not-leak-me";

        assertThat(new WebhookSigner(secret + ",plain-do-not-leak")).hasToString("WebhookSigner[keys=2]");
        assertThatThrownBy(() -> new WebhookSigner(secret + "," + broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret #2")
                .hasMessageNotContaining("do-not-leak")
                .hasMessageNotContaining("not*base64")
                .hasNoCause();
    }

    @Test
    void refuses_a_setting_without_a_usable_secret() {
        assertThatThrownBy(() -> new WebhookSigner(" , ")).hasMessageContaining("holds no secret");
        assertThatThrownBy(() -> new WebhookSigner(null)).hasMessageContaining("not set");
        assertThatThrownBy(() -> new WebhookSigner("whsec_")).hasMessageContaining("empty key");
    }

    @Test
    void has_no_signer_when_the_secret_is_unset() {
        assertThat(WebhookSigner.fromSetting(null)).isEmpty();
        assertThat(WebhookSigner.fromSetting("  ")).isEmpty();
        assertThat(WebhookSigner.fromSetting(SECRET_A))
                .hasValueSatisfying(s -> assertThat(s.keyCount()).isEqualTo(1));
    }

    /** HMAC-SHA256 written out here with javax.crypto, sharing no code with {@link WebhookSigner}. */
    static String independentHmac(byte[] key, String signedContent) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signedContent.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] decoded(String whsecSecret) {
        return Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
    }
}
