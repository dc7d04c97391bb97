package io.herald.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Deletes the rows of a table whose {@code expires_at} (epoch ms, indexed) has passed: the housekeeping of the stores. */
final class ExpiredRows {
    private ExpiredRows() {
    }

    /**
     * @param table a constant table name with an {@code expires_at} column
     * @param what  what the rows are, for the error: "token revocations"
     * @return how many rows were deleted
     */
    static int delete(DataSource dataSource, String table, long nowMillis, String what) {
        return delete(dataSource, table, "expires_at", nowMillis, what);
    }

    /**
     * Deletes the rows whose {@code column} (epoch ms, indexed) is at or before {@code cutoffMillis}.
     *
     * @param column a constant column name
     */
    static int delete(DataSource dataSource, String table, String column, long cutoffMillis, String what) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                     + " WHERE " + column + " <= ?")) {
            delete.setLong(1, cutoffMillis);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Could not purge expired " + what, e);
        }
    }
}
