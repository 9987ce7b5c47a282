package dev.cxoneroutes.batch;

import dev.cxoneroutes.state.StateStoreUnavailableException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Drop files shared by several instances (CONTRACT §9), kept in the PostgreSQL state store: who
 * holds each file, and how far each of its lines got. Tables {@code drop_file_claims} and {@code
 * drop_file_lines} (StateStoreSchema step 2).
 *
 * <p><b>Claims.</b> One row per file name. The instance holding a file has its {@code owner} on the
 * row and a lease ({@code lease_until}) that it renews every few seconds; taking a file is an
 * {@code INSERT … ON CONFLICT} that succeeds only while nobody holds a live lease, so exactly one
 * instance gets it. An instance that stops renewing (killed, frozen, cut off) loses the file when
 * its lease runs out; lease times are the database's clock, so instances' clocks do not matter.
 *
 * <p><b>Fencing.</b> Every write about a file's lines runs in one statement that first takes a share
 * lock on the claim row <em>as still held by this owner</em>. A takeover updates that row, so it
 * waits for writes already under way, and afterwards every write of the instance that lost the file
 * finds no row and fails with {@link DropFileClaimLostException}: a frozen instance waking up can
 * neither mark a line sent after the new holder read the progress, nor record a result.
 */
public final class SharedDropFiles {

    /** What the claim row says about the file before a run starts. */
    record Claim(String sha256, String state) {
        boolean doneWith(String sha) {
            return sha.equals(sha256) && BatchRun.State.DONE.wireName.equals(state);
        }

        boolean sameFile(String sha) {
            return sha.equals(sha256);
        }
    }

    /** A file's shared line progress: which lines have a result and which were only sent. */
    record Lines(BitSet finished, BitSet sentWithoutResult, long succeeded, long failed) {}

    private static final String HELD = "SELECT file FROM drop_file_claims WHERE file = ? AND owner = ? FOR SHARE";

    private final DataSource database;
    private final String instance;
    /** This process: a restart under the same INSTANCE_ID is a different owner. */
    private final String owner;

    private final Duration lease;

    public SharedDropFiles(DataSource database, String instance, Duration lease) {
        this.database = database;
        this.instance = instance;
        this.owner = instance + "/" + UUID.randomUUID();
        this.lease = lease;
    }

    String instance() {
        return instance;
    }

    Duration lease() {
        return lease;
    }

    /** Takes the file unless another instance holds a live lease on it. */
    boolean claim(String file) {
        return update(
                        "INSERT INTO drop_file_claims (file, owner, lease_until) VALUES (?, ?, now() + make_interval(secs => ?))"
                                + " ON CONFLICT (file) DO UPDATE SET owner = EXCLUDED.owner,"
                                + " lease_until = EXCLUDED.lease_until WHERE drop_file_claims.lease_until <= now()",
                        file,
                        owner,
                        leaseSeconds())
                == 1;
    }

    /**
     * Extends the lease and publishes the run's figures for the other instances' listings; false when
     * the file is no longer this instance's.
     */
    boolean renew(String file, BatchStatus status) {
        if (status == null) {
            return update(
                            "UPDATE drop_file_claims SET lease_until = now() + make_interval(secs => ?)"
                                    + " WHERE file = ? AND owner = ?",
                            leaseSeconds(),
                            file,
                            owner)
                    == 1;
        }
        return update(
                        "UPDATE drop_file_claims SET lease_until = now() + make_interval(secs => ?), lines_read = ?,"
                                + " succeeded = ?, failed = ?, lines_per_second = ?"
                                + " WHERE file = ? AND owner = ?",
                        leaseSeconds(),
                        status.linesRead(),
                        status.succeeded(),
                        status.failed(),
                        status.linesPerSecond(),
                        file,
                        owner)
                == 1;
    }

    /** Gives the file up at once (it moved, or this instance is stopping): another may take it. */
    void release(String file) {
        update("UPDATE drop_file_claims SET lease_until = now() WHERE file = ? AND owner = ?", file, owner);
    }

    /** The claim as this owner holds it; {@link DropFileClaimLostException} when it does not. */
    Claim held(String file) {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT sha256, state FROM drop_file_claims WHERE file = ? AND owner = ?")) {
            select.setString(1, file);
            select.setString(2, owner);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new DropFileClaimLostException(file);
                }
                return new Claim(row.getString(1), row.getString(2));
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A new file under this name: forgets the progress of any earlier one and starts afresh. */
    void startFresh(String file, String sha256) {
        inTransaction(connection -> {
            lockHeld(connection, file);
            execute(
                    connection,
                    "UPDATE drop_file_claims SET sha256 = ?, state = ?, instance = ?, lines_read = 0, succeeded = 0,"
                            + " failed = 0, lines_per_second = 0, started_at = now(), finished_at = NULL"
                            + " WHERE file = ? AND owner = ?",
                    sha256,
                    BatchRun.State.IN_PROGRESS.wireName,
                    instance,
                    file,
                    owner);
            execute(connection, "DELETE FROM drop_file_lines WHERE file = ?", file);
        });
    }

    /** Takes over (or resumes) the file's run: this instance now works on it. */
    void resume(String file) {
        fenced(
                "UPDATE drop_file_claims SET state = ?, instance = ?, finished_at = NULL, started_at = coalesce(started_at, now())"
                        + " WHERE file = ? AND owner = ?",
                file,
                BatchRun.State.IN_PROGRESS.wireName,
                instance,
                file,
                owner);
    }

    /**
     * Reads the file's line progress and writes every recorded result to {@code results}, one line
     * each, in line order: how an instance taking the file over rebuilds the results file.
     */
    Lines readLines(String file, BufferedWriter results) throws IOException {
        BitSet finished = new BitSet();
        BitSet sentOnly = new BitSet();
        long succeeded = 0;
        long failed = 0;
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false); // so the driver streams the rows (fetch size) instead of loading all
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT line, result, success FROM drop_file_lines WHERE file = ? ORDER BY line")) {
                select.setFetchSize(1000);
                select.setString(1, file);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        int line = row.getInt(1);
                        String result = row.getString(2);
                        if (result == null) {
                            sentOnly.set(line);
                            continue;
                        }
                        finished.set(line);
                        if (row.getBoolean(3)) {
                            succeeded++;
                        } else {
                            failed++;
                        }
                        results.write(result);
                        results.write('\n');
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return new Lines(finished, sentOnly, succeeded, failed);
    }

    /** Notes the line as handed to CXone, unless the file is no longer this instance's. */
    void markSent(String file, int line) {
        fencedLine(
                "INSERT INTO drop_file_lines (file, line) SELECT file, ? FROM held ON CONFLICT (file, line) DO NOTHING",
                file,
                line);
    }

    /** Keeps the line's result, unless the file is no longer this instance's. */
    void record(String file, int line, String result, boolean success) {
        fencedLine(
                "INSERT INTO drop_file_lines (file, line, result, success) SELECT file, ?, ?, ? FROM held"
                        + " ON CONFLICT (file, line) DO UPDATE SET result = EXCLUDED.result, success = EXCLUDED.success",
                file,
                line,
                result,
                success);
    }

    /**
     * Every line has its result (and the results file is complete): marks the file done with its
     * figures and drops its line progress. The lease stays until the input has moved to processed/.
     */
    void finish(String file, BatchStatus status) {
        end(file, status, BatchRun.State.DONE, true);
    }

    /** The file moved to failed/: its progress is kept, for a person to look at. */
    void fail(String file, BatchStatus status) {
        end(file, status, BatchRun.State.FAILED, false);
    }

    /** A file that failed before its run started (not UTF-8). */
    void failBeforeStart(String file, String sha256) {
        fenced(
                "UPDATE drop_file_claims SET sha256 = ?, state = ?, instance = ?, lines_read = 0, succeeded = 0,"
                        + " failed = 0, lines_per_second = 0, started_at = now(), finished_at = now()"
                        + " WHERE file = ? AND owner = ?",
                file,
                sha256,
                BatchRun.State.FAILED.wireName,
                instance,
                file,
                owner);
    }

    /** Every file some instance has started: running ones first (oldest first), then the latest finished. */
    List<BatchStatus> list(int recentFiles) {
        List<BatchStatus> all = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "(SELECT file, state, lines_read, succeeded, failed, lines_per_second, started_at, finished_at,"
                                + " instance, 0 AS part FROM drop_file_claims WHERE state = ?)"
                                + " UNION ALL (SELECT file, state, lines_read, succeeded, failed, lines_per_second,"
                                + " started_at, finished_at, instance, 1 AS part FROM drop_file_claims WHERE state <> ?"
                                + " ORDER BY finished_at DESC LIMIT ?)"
                                + " ORDER BY part, started_at")) {
            select.setString(1, BatchRun.State.IN_PROGRESS.wireName);
            select.setString(2, BatchRun.State.IN_PROGRESS.wireName);
            select.setInt(3, recentFiles);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    all.add(new BatchStatus(
                            row.getString(1),
                            row.getString(2),
                            row.getLong(3),
                            row.getLong(4),
                            row.getLong(5),
                            row.getDouble(6),
                            instant(row.getTimestamp(7)),
                            instant(row.getTimestamp(8)),
                            row.getString(9)));
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return all;
    }

    private void end(String file, BatchStatus status, BatchRun.State state, boolean dropLines) {
        inTransaction(connection -> {
            lockHeld(connection, file);
            execute(
                    connection,
                    "UPDATE drop_file_claims SET state = ?, lines_read = ?, succeeded = ?, failed = ?,"
                            + " lines_per_second = ?, finished_at = now() WHERE file = ? AND owner = ?",
                    state.wireName,
                    status.linesRead(),
                    status.succeeded(),
                    status.failed(),
                    status.linesPerSecond(),
                    file,
                    owner);
            if (dropLines) {
                execute(connection, "DELETE FROM drop_file_lines WHERE file = ?", file);
            }
        });
    }

    /** Runs a statement that starts from the claim row as held ({@code held}); throws when it is not. */
    private void fencedLine(String insertFromHeld, String file, Object... values) {
        String sql = "WITH held AS (" + HELD + "), written AS (" + insertFromHeld + ") SELECT count(*) FROM held";
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, file);
            statement.setString(2, owner);
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 3, values[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (row.getInt(1) == 0) {
                    throw new DropFileClaimLostException(file);
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void fenced(String sql, String file, Object... values) {
        if (update(sql, values) != 1) {
            throw new DropFileClaimLostException(file);
        }
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void lockHeld(Connection connection, String file) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(HELD)) {
            lock.setString(1, file);
            lock.setString(2, owner);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new DropFileClaimLostException(file);
                }
            }
        }
    }

    private int update(String sql, Object... values) {
        try (Connection connection = database.getConnection()) {
            return execute(connection, sql, values);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static int execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }

    private double leaseSeconds() {
        return lease.toMillis() / 1000.0;
    }

    private static StateStoreUnavailableException unavailable(SQLException e) {
        // The SQL state only: a driver message can quote the URL or the user.
        return new StateStoreUnavailableException(
                "The state store cannot be used for drop files (SQL state " + e.getSQLState() + ")", e);
    }
}
