package io.herald.store.jdbc;

import io.herald.core.security.Revocation;
import io.herald.core.security.RevocationLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The revocation list of signed tokens in table {@code token_revocation}, so a standalone node refuses revoked
 * tokens after a restart. An entry only ever grows (mark and expiry take the larger of stored and new), so two
 * revocations of one client written in either order leave the higher mark. {@link #record} returns once the row is
 * durable (an H2 file is synced, {@link CommitFlusher}): a revocation that was answered survives a SIGKILL.
 */
public final class JdbcRevocationLog implements RevocationLog {
    private static final String UPDATE = "UPDATE token_revocation SET mark = GREATEST(mark, ?),"
            + " expires_at = GREATEST(expires_at, ?) WHERE kind = ? AND revoked_key = ?";
    private static final String INSERT =
            "INSERT INTO token_revocation (kind, revoked_key, mark, expires_at) VALUES (?, ?, ?, ?)";
    private static final String LOAD = "SELECT kind, revoked_key, mark, expires_at FROM token_revocation"
            + " WHERE expires_at > ?";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final CommitFlusher flusher;

    public JdbcRevocationLog(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
        this.flusher = database.flusher();
    }

    @Override
    public void record(Revocation entry) {
        try (Connection connection = dataSource.getConnection()) {
            if (update(connection, entry) == 0 && !insert(connection, entry)) {
                update(connection, entry); // a concurrent record inserted it first
            }
        } catch (SQLException e) {
            throw new StoreException("Could not record a token revocation", e);
        }
        flusher.awaitDurable();
    }

    private static int update(Connection connection, Revocation entry) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setLong(1, entry.mark());
            update.setLong(2, entry.expiresAtMillis());
            update.setString(3, code(entry.kind()));
            update.setString(4, entry.key());
            return update.executeUpdate();
        }
    }

    private boolean insert(Connection connection, Revocation entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, code(entry.kind()));
            insert.setString(2, entry.key());
            insert.setLong(3, entry.mark());
            insert.setLong(4, entry.expiresAtMillis());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<Revocation> load(long nowMillis) {
        List<Revocation> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(LOAD)) {
            select.setLong(1, nowMillis);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Revocation(kind(rows.getString(1)), rows.getString(2), rows.getLong(3),
                            rows.getLong(4)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new StoreException("Could not load the token revocation list", e);
        }
    }

    @Override
    public int purgeExpired(long nowMillis) {
        return ExpiredRows.delete(dataSource, "token_revocation", nowMillis, "token revocations");
    }

    private static String code(Revocation.Kind kind) {
        return kind == Revocation.Kind.CLIENT ? "C" : "T";
    }

    private static Revocation.Kind kind(String code) {
        return "C".equals(code.trim()) ? Revocation.Kind.CLIENT : Revocation.Kind.TOKEN;
    }
}
