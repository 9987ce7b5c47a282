package dev.cxoneroutes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxoneroutes.config.Settings;
import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CTI_WEBHOOK_* settings: their defaults, and the secret live mode insists on. */
class WebhookSettingsTest {

    @Test
    void defaults_to_no_webhooks_and_a_ten_minute_retry_budget() {
        WebhookSettings webhooks = WebhookSettings.load(settings(Map.of()));

        assertThat(webhooks.urls()).isEmpty();
        assertThat(webhooks.signer()).isEmpty();
        assertThat(webhooks.backoff().totalBudget()).isEqualTo(Duration.ofMinutes(10));
        assertThat(webhooks.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(webhooks.missingLiveSettings()).isEmpty();
    }

    @Test
    void reads_every_comma_separated_url() {
        WebhookSettings webhooks = WebhookSettings.load(
                settings(Map.of(WebhookSettings.URLS, " https://a.example/hook , ,https://b.example/hook?token=x ")));

        assertThat(webhooks.urls()).containsExactly("https://a.example/hook", "https://b.example/hook?token=x");
    }

    @Test
    void names_the_missing_secret_when_there_are_urls_and_never_shows_a_given_one() {
        assertThat(WebhookSettings.load(settings(Map.of(WebhookSettings.URLS, "https://a.example/hook")))
                        .missingLiveSettings())
                .containsExactly("CTI_WEBHOOK_SECRET (required with CTI_WEBHOOK_URLS)");

        WebhookSettings signed = WebhookSettings.load(settings(Map.of(
                WebhookSettings.URLS, "https://a.example/hook", WebhookSettings.SECRET, "whsec_c2VjcmV0LWtleQ==")));
        assertThat(signed.missingLiveSettings()).isEmpty();
        assertThat(signed.toString()).doesNotContain("whsec_").doesNotContain("c2VjcmV0LWtleQ");
    }

    @Test
    void refuses_to_start_in_live_mode_with_webhook_urls_but_no_secret() {
        try (CxoneStub cxone = new CxoneStub()) {
            Map<String, String> settings = cxone.liveSettings();
            settings.put(WebhookSettings.URLS, "https://cti.example/hook");

            assertThatThrownBy(() -> RunningService.start(settings).close())
                    .rootCause()
                    .hasMessageContaining("CTI_WEBHOOK_SECRET");
        }
    }

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }
}
