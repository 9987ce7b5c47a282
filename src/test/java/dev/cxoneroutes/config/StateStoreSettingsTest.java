package dev.cxoneroutes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.util.SensitiveUtils;
import org.junit.jupiter.api.Test;

/** STATE_STORE_PASSWORD is a secret: never written in the shipped settings, masked by Camel's startup summary. */
class StateStoreSettingsTest {

    @Test
    void camel_masks_the_password_key_in_its_startup_summary() {
        // Camel masks a key whose last segment is on its list: "state-store.password" is, whereas a
        // name like "state-store-password" would be printed in clear (as cti.webhook-secret is).
        assertThat(SensitiveUtils.containsSensitive("state-store.password")).isTrue();
        assertThat(SensitiveUtils.containsSensitive("state-store-password")).isFalse();
    }

    @Test
    void the_shipped_settings_name_the_password_but_give_it_no_value() throws Exception {
        assertThat(Files.readAllLines(Path.of("application.properties")))
                .contains("# state-store.password=")
                .noneMatch(line -> line.startsWith("state-store.password"));
    }
}
