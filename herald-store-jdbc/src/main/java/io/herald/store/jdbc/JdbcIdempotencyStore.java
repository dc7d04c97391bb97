package io.herald.store.jdbc;

import io.herald.core.idempotency.Claim;
import io.herald.core.idempotency.IdempotencyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Idempotency keys in table {@code idempotency_key}: shared by every API node of a cluster, and kept across a
 * standalone node's restarts. The primary key makes claiming race-safe without locks: a claim is an INSERT, and of
 * two concurrent INSERTs of one key the database lets exactly one through. Taking over an expired or abandoned row
 * is a conditional UPDATE naming the row's old claim time, so again only one of two concurrent takeovers wins.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {
    private static final String INSERT = "INSERT INTO idempotency_key (key_hash, state, fingerprint, claimed_at,"
            + " expires_at) VALUES (?, 'C', ?, ?, ?)";
    private static final String SELECT = "SELECT state, fingerprint, claimed_at, expires_at, status, answer"
            + " FROM idempotency_key WHERE key_hash = ?";
    private static final String TAKE_OVER = "UPDATE idempotency_key SET state = 'C', fingerprint = ?,"
            + " claimed_at = ?, expires_at = ?, status = NULL, answer = NULL WHERE key_hash = ? AND claimed_at = ?";
    private static final String COMPLETE = "UPDATE idempotency_key SET state = 'D', status = ?, answer = ?"
            + " WHERE key_hash = ? AND claimed_at = ? AND state = 'C'";
    private static final String RELEASE = "DELETE FROM idempotency_key WHERE key_hash = ? AND claimed_at = ?"
            + " AND state = 'C'";
    /** Insert, then read, then take over: each lost race means another request changed the row; a few suffice. */
    private static final int MAX_ROUNDS = 4;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;

    public JdbcIdempotencyStore(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.flusher = database.flusher();
    }

    @Override
    public Claim claim(String keyHash, String fingerprint, long nowMillis, long expiresAt, long abandonedAfterMillis) {
        try (Connection connection = dataSource.getConnection()) {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                if (insert(connection, keyHash, fingerprint, nowMillis, expiresAt)) {
                    return Claim.claimed(keyHash, fingerprint, nowMillis);
                }
                try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                    select.setString(1, keyHash);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            continue; // released meanwhile: insert again
                        }
                        boolean claimed = "C".equals(row.getString(1).trim());
                        long claimedAt = row.getLong(3);
                        boolean free = row.getLong(4) <= nowMillis
                                || (claimed && claimedAt + abandonedAfterMillis <= nowMillis);
                        if (!free) {
                            return claimed
                                    ? new Claim(Claim.Kind.IN_PROGRESS, keyHash, row.getString(2), claimedAt, 0, null)
                                    : new Claim(Claim.Kind.COMPLETED, keyHash, row.getString(2), claimedAt,
                                            row.getInt(5), row.getBytes(6));
                        }
                        if (takeOver(connection, keyHash, fingerprint, nowMillis, expiresAt, claimedAt)) {
                            return Claim.claimed(keyHash, fingerprint, nowMillis);
                        }
                    }
                }
            }
            throw new StoreException("Could not claim an idempotency key: it changed hands " + MAX_ROUNDS
                    + " times in a row");
        } catch (SQLException e) {
            throw new StoreException("Could not claim an idempotency key", e);
        }
    }

    private boolean insert(Connection connection, String keyHash, String fingerprint, long now, long expiresAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, keyHash);
            insert.setString(2, fingerprint);
            insert.setLong(3, now);
            insert.setLong(4, expiresAt);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean takeOver(Connection connection, String keyHash, String fingerprint, long now,
                                    long expiresAt, long oldClaimedAt) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(TAKE_OVER)) {
            update.setString(1, fingerprint);
            update.setLong(2, now);
            update.setLong(3, expiresAt);
            update.setString(4, keyHash);
            update.setLong(5, oldClaimedAt);
            return update.executeUpdate() == 1;
        }
    }

    /** Durable before it returns (an H2 file is synced): an answered push stays answered after a crash. */
    @Override
    public void complete(Claim claim, int status, byte[] body) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(COMPLETE)) {
            update.setInt(1, status);
            update.setBytes(2, body);
            update.setString(3, claim.keyHash());
            update.setLong(4, claim.claimedAt());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Could not keep the answer of an idempotency key", e);
        }
        flusher.awaitDurable();
    }

    @Override
    public void release(Claim claim) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(RELEASE)) {
            delete.setString(1, claim.keyHash());
            delete.setLong(2, claim.claimedAt());
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Could not release an idempotency key", e);
        }
    }

    @Override
    public int purgeExpired(long nowMillis) {
        return ExpiredRows.delete(dataSource, "idempotency_key", nowMillis, "idempotency keys");
    }
}
