package dev.cxoneroutes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxoneroutes.testing.CxoneStub;
import dev.cxoneroutes.testing.RunningService;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Live mode refuses to start half-configured, and names everything that is missing at once; what
 * start-up wires costs requests nothing it need not.
 */
class StartupTest {

    @Test
    void live_mode_without_credentials_names_every_missing_variable() {
        Map<String, String> settings = new HashMap<>();
        settings.put("cxone.base-url", "http://127.0.0.1:9");

        assertThatThrownBy(() -> RunningService.start(settings))
                .rootCause()
                .hasMessageContaining("CXONE_CLIENT_ID")
                .hasMessageContaining("CXONE_CLIENT_SECRET")
                .hasMessageContaining("API_KEYS");
    }

    @Test
    void the_password_grant_also_needs_the_access_key() {
        Map<String, String> settings = new HashMap<>();
        settings.put("cxone.base-url", "http://127.0.0.1:9");
        settings.put("cxone.client-id", "id");
        settings.put("cxone.client-secret", "secret");
        settings.put("cxone.auth-grant", "password");
        settings.put("api.auth", "disabled");

        assertThatThrownBy(() -> RunningService.start(settings))
                .rootCause()
                .hasMessageContaining("CXONE_ACCESS_KEY_ID")
                .hasMessageContaining("CXONE_ACCESS_KEY_SECRET")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("CXONE_CLIENT_ID")
                        .doesNotContain("secret,"));
    }

    @Test
    void an_unknown_grant_is_refused_by_name() {
        Map<String, String> settings = new HashMap<>();
        settings.put("cxone.auth-grant", "implicit");

        assertThatThrownBy(() -> RunningService.start(settings)).rootCause().hasMessageContaining("CXONE_AUTH_GRANT");
    }

    /**
     * Camel builds exchange events for every exchange as soon as one event notifier listens to
     * them; ours listen only to the context's start and stop, so a request pays for none.
     */
    @Test
    void requests_pay_for_no_exchange_events_when_no_notifier_listens_to_them() {
        CxoneStub cxone = new CxoneStub();
        try (RunningService service = RunningService.start(cxone.liveSettings())) {
            assertThat(service.context().getCamelContextExtension().isEventNotificationApplicable())
                    .isFalse();
        } finally {
            cxone.close();
        }
    }
}
