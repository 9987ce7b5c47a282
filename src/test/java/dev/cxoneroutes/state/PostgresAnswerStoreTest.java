package dev.cxoneroutes.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared store on a real PostgreSQL: the contract, and on top what only a shared database has —
 * several instances racing, claims of dead instances lapsing, the schema, the purge, an outage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAnswerStoreTest extends AnswerStoreContract {

    static final Duration CLAIM_LEASE = Duration.ofMinutes(5);

    EmbeddedPostgres postgres;
    final List<HikariDataSource> pools = new ArrayList<>();
    final AtomicInteger errors = new AtomicInteger();

    @BeforeAll
    void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    void stopDatabase() throws Exception {
        postgres.close();
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    @Override
    AnswerStore openEmptyStore() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // Every table of every schema step, whichever steps exist: the schema is applied afresh.
            statement.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return instance("instance-a");
    }

    /** One more instance's store on the same database, as StateStoreWiring opens it. */
    PostgresAnswerStore instance(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        try {
            StateStoreSchema.apply(pool);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new PostgresAnswerStore(pool, name, RETENTION, CLAIM_LEASE, clock, errors::incrementAndGet, pool);
    }

    @Test
    void two_instances_on_one_database_see_one_claim_and_one_answer() {
        PostgresAnswerStore other = instance("instance-b");

        assertThat(store.claim("handoff:call-1")).isTrue();
        assertThat(other.claim("handoff:call-1")).isFalse();
        other.release("handoff:call-1"); // not its claim: changes nothing
        assertThat(other.claim("handoff:call-1")).isFalse();

        store.remember("handoff:call-1", new StoredAnswer(200, "{\"guest_id\":\"guest-1\"}"));

        assertThat(other.find("handoff:call-1")).contains(new StoredAnswer(200, "{\"guest_id\":\"guest-1\"}"));
    }

    @Test
    void the_claim_of_an_instance_that_died_holding_it_lapses_after_the_lease() {
        PostgresAnswerStore survivor = instance("instance-b");
        assertThat(store.claim("handoff:call-1")).isTrue(); // and then instance-a is killed

        clock.advance(CLAIM_LEASE.minusSeconds(1));
        assertThat(survivor.claim("handoff:call-1")).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(survivor.claim("handoff:call-1")).isTrue();
    }

    @Test
    void the_schema_is_created_once_and_versioned_however_many_instances_start() throws Exception {
        instance("instance-b");
        instance("instance-c");

        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet versions = statement.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            List<Integer> applied = new ArrayList<>();
            while (versions.next()) {
                applied.add(versions.getInt(1));
            }
            // Each step once, however many steps there are.
            assertThat(applied)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, StateStoreSchema.STEPS.size())
                            .boxed()
                            .toList());
        }
    }

    @Test
    void the_purge_deletes_expired_rows_only_and_uses_the_expiry_index() throws Exception {
        store.remember("old", new StoredAnswer(200, "{}"));
        clock.advance(Duration.ofHours(23));
        store.remember("recent", new StoredAnswer(200, "{}"));
        assertThat(store.claim("running")).isTrue();
        clock.advance(Duration.ofHours(2));

        assertThat(((PostgresAnswerStore) store).purgeExpired()).isEqualTo(2); // "old" and the lapsed claim

        assertThat(rowKeys()).containsExactly("recent");
        assertThat(plan("EXPLAIN DELETE FROM idempotency_answers WHERE expires_at <= now()"))
                .as("with the planner told to avoid full scans, it has an index to use")
                .contains("idempotency_answers_expires_at");
    }

    @Test
    void a_database_that_is_away_makes_every_use_fail_as_unavailable_and_counts_it() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + dev.cxoneroutes.testing.RunningService.freePort()
                + "/postgres?user=postgres&password=not-logged-anywhere");
        config.setConnectionTimeout(500);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        PostgresAnswerStore away = new PostgresAnswerStore(
                pool, "instance-x", RETENTION, CLAIM_LEASE, clock, errors::incrementAndGet, pool);
        int before = errors.get();

        assertThatThrownBy(() -> away.claim("k"))
                .isInstanceOf(StateStoreUnavailableException.class)
                .hasMessageNotContaining("not-logged-anywhere");
        assertThatThrownBy(() -> away.find("k")).isInstanceOf(StateStoreUnavailableException.class);
        assertThat(away.reachable()).isFalse();
        assertThat(errors.get() - before).isEqualTo(2);
    }

    private List<String> rowKeys() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT key FROM idempotency_answers ORDER BY key")) {
            List<String> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
            return keys;
        }
    }

    private String plan(String explain) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery(explain)) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
