package dev.cxoneroutes.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AnswerStore} several instances share: one PostgreSQL table (created by {@link
 * StateStoreSchema}), one row per key.
 *
 * <p>A row is either a claim ({@code status} null, {@code body} its holder or null, {@code expires_at}
 * the end of the claim lease) or an answer ({@code expires_at} the end of the retention). A claim's
 * holder sits in {@code body}, which only an answer otherwise uses, so that no schema step is needed. A claim is an {@code INSERT … ON
 * CONFLICT}: the primary key lets exactly one of any number of racing instances insert it. The
 * conflict clause takes the row over only when it has expired (an answer past its retention, or
 * the claim of an instance that died holding it), so a key is never stuck. Every read ignores
 * expired rows, and {@link #purgeExpired} deletes them through the index on {@code expires_at}:
 * no request scans the table.
 *
 * <p>Times come from the service's clock, not the database's, so tests can move them; instances
 * whose clocks differ by seconds only shift the 24 h retention by as much.
 */
public final class PostgresAnswerStore implements AnswerStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresAnswerStore.class);

    private final DataSource database;
    private final Duration retention;
    private final Duration claimLease;
    private final Clock clock;
    private final Runnable onError;
    private final AutoCloseable closeable;
    /** Names this store's claims, so a release never ends another instance's claim. */
    private final String owner;

    /**
     * @param instance INSTANCE_ID, kept with each claim for an operator reading the table
     * @param claimLease how long a claim holds when its holder neither remembers nor releases it
     * @param onError counts each failed use of the database (metrics)
     * @param closeable closed with the store (the connection pool)
     */
    public PostgresAnswerStore(
            DataSource database,
            String instance,
            Duration retention,
            Duration claimLease,
            Clock clock,
            Runnable onError,
            AutoCloseable closeable) {
        this.database = database;
        this.retention = retention;
        this.claimLease = claimLease;
        this.clock = clock;
        this.onError = onError;
        this.closeable = closeable;
        this.owner = instance + "/" + UUID.randomUUID();
    }

    @Override
    public Optional<StoredAnswer> find(String key) {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT status, body FROM idempotency_answers"
                        + " WHERE key = ? AND status IS NOT NULL AND expires_at > ?")) {
            select.setString(1, key);
            select.setTimestamp(2, now());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new StoredAnswer(row.getInt(1), row.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean claim(String key, String holder) {
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO idempotency_answers (key, owner, status, body, expires_at)"
                                + " VALUES (?, ?, NULL, ?, ?)"
                                + " ON CONFLICT (key) DO UPDATE"
                                + " SET owner = EXCLUDED.owner, status = NULL, body = EXCLUDED.body,"
                                + " expires_at = EXCLUDED.expires_at"
                                + " WHERE idempotency_answers.expires_at <= ?")) {
            insert.setString(1, key);
            insert.setString(2, owner);
            insert.setString(3, holder);
            insert.setTimestamp(4, Timestamp.from(clock.instant().plus(claimLease)));
            insert.setTimestamp(5, now());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean claimHeldBy(String key, String holder) {
        if (holder == null) {
            return false;
        }
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT 1 FROM idempotency_answers"
                        + " WHERE key = ? AND status IS NULL AND body = ? AND expires_at > ?")) {
            select.setString(1, key);
            select.setString(2, holder);
            select.setTimestamp(3, now());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void remember(String key, StoredAnswer answer) {
        try (Connection connection = database.getConnection();
                PreparedStatement upsert = connection.prepareStatement(
                        "INSERT INTO idempotency_answers (key, owner, status, body, expires_at)"
                                + " VALUES (?, ?, ?, ?, ?)"
                                + " ON CONFLICT (key) DO UPDATE"
                                + " SET owner = EXCLUDED.owner, status = EXCLUDED.status, body = EXCLUDED.body,"
                                + " expires_at = EXCLUDED.expires_at")) {
            upsert.setString(1, key);
            upsert.setString(2, owner);
            upsert.setInt(3, answer.status());
            upsert.setString(4, answer.body());
            upsert.setTimestamp(5, Timestamp.from(clock.instant().plus(retention)));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void release(String key) {
        try (Connection connection = database.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM idempotency_answers WHERE key = ? AND owner = ? AND status IS NULL")) {
            delete.setString(1, key);
            delete.setString(2, owner);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Deletes expired answers and lapsed claims; run periodically. Returns how many rows went. */
    public int purgeExpired() {
        try (Connection connection = database.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM idempotency_answers WHERE expires_at <= ?")) {
            delete.setTimestamp(1, now());
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean reachable() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing the state store's connection pool failed: {}", e.toString());
        }
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private StateStoreUnavailableException unavailable(SQLException e) {
        onError.run();
        // The message names the SQL state only: a driver message can quote the URL or the user.
        return new StateStoreUnavailableException(
                "The state store cannot be used (SQL state " + e.getSQLState() + ")", e);
    }
}
