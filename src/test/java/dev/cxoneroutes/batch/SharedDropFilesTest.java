package dev.cxoneroutes.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cxoneroutes.state.StateStoreSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Drop-file claims on a real PostgreSQL: one holder at a time, a lapsed lease taken over, and an
 * instance that was frozen past its lease fenced off: whatever it tries to write about the file
 * after the takeover fails, so the new holder's picture of the file stays true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedDropFilesTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    EmbeddedPostgres postgres;
    HikariDataSource pool;

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        StateStoreSchema.apply(pool);
    }

    @AfterAll
    void stop() throws Exception {
        pool.close();
        postgres.close();
    }

    @Test
    void a_frozen_holder_loses_the_file_after_its_lease_and_can_write_nothing_more_about_it() throws Exception {
        SharedDropFiles frozen = new SharedDropFiles(pool, "instance-a", LEASE);
        SharedDropFiles other = new SharedDropFiles(pool, "instance-b", LEASE);
        String file = "frozen.jsonl";

        assertThat(frozen.claim(file)).isTrue();
        assertThat(other.claim(file)).as("held, and renewed").isFalse();
        assertThat(frozen.renew(file, null)).isTrue();
        frozen.startFresh(file, "sha-1");
        frozen.markSent(file, 1);
        frozen.record(file, 1, "{\"line\":1,\"status\":\"success\"}", true);
        frozen.markSent(file, 2);

        // instance-a stops renewing (frozen): once the lease has run out, instance-b gets the file.
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> other.claim(file));
        assertThat(other.held(file).sameFile("sha-1")).isTrue();
        other.resume(file);
        StringWriter rebuilt = new StringWriter();
        SharedDropFiles.Lines lines;
        try (BufferedWriter writer = new BufferedWriter(rebuilt)) {
            lines = other.readLines(file, writer);
        }
        assertThat(lines.finished().stream()).containsExactly(1);
        assertThat(lines.sentWithoutResult().stream())
                .as("in flight: OUTCOME_UNKNOWN")
                .containsExactly(2);
        assertThat(rebuilt.toString()).isEqualTo("{\"line\":1,\"status\":\"success\"}\n");

        // instance-a wakes up: it can neither send a line, nor record one, nor finish the file.
        assertThatThrownBy(() -> frozen.markSent(file, 3)).isInstanceOf(DropFileClaimLostException.class);
        assertThatThrownBy(() -> frozen.record(file, 2, "{\"line\":2,\"status\":\"success\"}", true))
                .isInstanceOf(DropFileClaimLostException.class);
        assertThatThrownBy(() -> frozen.finish(file, status(file))).isInstanceOf(DropFileClaimLostException.class);
        assertThat(frozen.renew(file, null)).isFalse();
        frozen.release(file); // gives back nothing that is not its own
        assertThat(frozen.claim(file)).as("still instance-b's").isFalse();

        try (BufferedWriter writer = new BufferedWriter(new StringWriter())) {
            lines = other.readLines(file, writer);
        }
        assertThat(lines.finished().stream()).containsExactly(1);
        assertThat(lines.sentWithoutResult().stream()).containsExactly(2);
        other.finish(file, status(file));
        assertThat(other.list(10)).singleElement().satisfies(listed -> {
            assertThat(listed.state()).isEqualTo("done");
            assertThat(listed.instance()).isEqualTo("instance-b");
        });
    }

    private static BatchStatus status(String file) {
        return new BatchStatus(file, "in_progress", 2, 1, 1, 0, null, null, "x");
    }
}
