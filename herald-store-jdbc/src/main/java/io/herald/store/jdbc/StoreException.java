package io.herald.store.jdbc;

/**
 * A database failure inside one of the JDBC stores. The core store interfaces declare no checked exceptions, so the
 * {@link java.sql.SQLException} travels as the cause of this unchecked one, with a message saying what was being
 * done.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
