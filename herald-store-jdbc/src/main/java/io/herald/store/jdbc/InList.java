package io.herald.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;

/**
 * {@code IN (?, ...)} lists padded to a few fixed lengths: powers of two up to 512, then
 * {@link Batching#CHUNK_SIZE}. Padding repeats the last value, which changes nothing in an IN list, and leaves a
 * dozen distinct statement texts instead of one per list length. That keeps prepared-statement caches useful, and
 * on MariaDB, where statements are prepared on the server, it keeps every node's connections far from the
 * server-wide {@code max_prepared_stmt_count} (16,382 by default).
 */
final class InList {
    private InList() {
    }

    /** The padded length for {@code count} values (1 to {@link Batching#CHUNK_SIZE}). */
    static int length(int count) {
        if (count < 1 || count > Batching.CHUNK_SIZE) {
            throw new IllegalArgumentException(
                    "an IN list holds 1 to " + Batching.CHUNK_SIZE + " values, not " + count);
        }
        int length = Integer.highestOneBit(count);
        if (length < count) {
            length <<= 1;
        }
        return Math.min(length, Batching.CHUNK_SIZE);
    }

    /** {@code "(?, ?, ...)"} for {@code count} values, padded. */
    static String of(int count) {
        return "(" + String.join(", ", Collections.nCopies(length(count), "?")) + ")";
    }

    /** Binds the strings from parameter {@code index} on, padded; returns the next free parameter index. */
    static int bindStrings(PreparedStatement statement, int index, Collection<String> values) throws SQLException {
        String last = null;
        for (String value : values) {
            statement.setString(index++, value);
            last = value;
        }
        for (int padding = length(values.size()) - values.size(); padding > 0; padding--) {
            statement.setString(index++, last);
        }
        return index;
    }

    /** Binds the numbers from parameter {@code index} on, padded; returns the next free parameter index. */
    static int bindLongs(PreparedStatement statement, int index, Collection<Long> values) throws SQLException {
        long last = 0;
        for (long value : values) {
            statement.setLong(index++, value);
            last = value;
        }
        for (int padding = length(values.size()) - values.size(); padding > 0; padding--) {
            statement.setLong(index++, last);
        }
        return index;
    }
}
