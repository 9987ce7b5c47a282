package dev.cxoneroutes.jms;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Every JMS test again with the shared PostgreSQL state store (STATE_STORE_URL): a redelivered
 * message is answered from the database without a second bridge, as from the embedded store.
 */
class JmsCommandsOnPostgresTest extends JmsCommandsTest {

    EmbeddedPostgres postgres;

    @Override
    Map<String, String> settings() {
        try {
            postgres = EmbeddedPostgres.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = super.settings();
        settings.put("state-store.url", postgres.getJdbcUrl("postgres", "postgres"));
        return settings;
    }

    @AfterAll
    @Override
    void stop() {
        super.stop();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
