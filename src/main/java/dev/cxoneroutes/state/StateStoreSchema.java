package dev.cxoneroutes.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the state store's tables at start: plain SQL, one numbered step per change,
 * the steps applied so far recorded in {@code schema_version}. Instances starting together take a
 * transaction-scoped advisory lock first, so exactly one applies each step. Only ever append a step.
 */
public final class StateStoreSchema {

    private static final Logger LOG = LoggerFactory.getLogger(StateStoreSchema.class);
    /** Any fixed number: the advisory lock that serialises schema changes between instances. */
    private static final long LOCK = 0x6378_6f6e_6500_0001L;

    /** Step n is STEPS.get(n - 1). */
    static final List<String> STEPS = List.of(
            // 1: Idempotency-Key answers and the claims of requests still running (PostgresAnswerStore).
            "CREATE TABLE idempotency_answers ("
                    + " key text PRIMARY KEY,"
                    + " owner text NOT NULL,"
                    + " status integer,"
                    + " body text,"
                    + " expires_at timestamptz NOT NULL);"
                    + " CREATE INDEX idempotency_answers_expires_at ON idempotency_answers (expires_at)",
            // 2: drop files shared by several instances (batch/SharedDropFiles): one claim per file
            // name, leased to the instance working on it, and the progress of each of its lines.
            "CREATE TABLE drop_file_claims ("
                    + " file text PRIMARY KEY,"
                    + " owner text NOT NULL,"
                    + " lease_until timestamptz NOT NULL,"
                    + " instance text,"
                    + " sha256 text,"
                    + " state text,"
                    + " lines_read bigint NOT NULL DEFAULT 0,"
                    + " succeeded bigint NOT NULL DEFAULT 0,"
                    + " failed bigint NOT NULL DEFAULT 0,"
                    + " lines_per_second double precision NOT NULL DEFAULT 0,"
                    + " started_at timestamptz,"
                    + " finished_at timestamptz);"
                    + " CREATE TABLE drop_file_lines ("
                    + " file text NOT NULL,"
                    + " line integer NOT NULL,"
                    + " result text,"
                    + " success boolean,"
                    + " PRIMARY KEY (file, line))");

    private StateStoreSchema() {}

    /** Applies every step the database lacks; returns the version it is at. */
    public static int apply(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                statement.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet row = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                    row.next();
                    current = row.getInt(1);
                }
                for (int version = current + 1; version <= STEPS.size(); version++) {
                    statement.execute(STEPS.get(version - 1));
                    statement.execute("INSERT INTO schema_version (version) VALUES (" + version + ")");
                    LOG.info("State store schema upgraded to version {}", version);
                }
                connection.commit();
                return Math.max(current, STEPS.size());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
