package io.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs JDBC work in a transaction that is committed when the work returns and rolled back when it throws. */
final class Transactions {

    /** Work on a connection whose auto-commit is off. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Borrows a connection and runs {@code work} in one transaction on it. Auto-commit is left off: the pool (always
     * Hikari, see {@link Database}) restores it when the connection goes back, and resetting it here on a broken
     * connection would only replace the real failure with a second one.
     */
    static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            return inTransaction(connection, work);
        }
    }

    /** Runs {@code work} and commits, or rolls back; {@code connection} must have auto-commit off. */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }
}
