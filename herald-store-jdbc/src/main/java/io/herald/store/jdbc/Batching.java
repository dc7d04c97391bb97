package io.herald.store.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits large inputs into statement-sized chunks. A thousand rows per JDBC batch (or ids per IN list) keeps round
 * trips few while every statement stays far below the drivers' parameter limits (PostgreSQL: 32,767 with the
 * protocol's 16-bit count; MariaDB and H2 more) and the server's packet size.
 */
final class Batching {
    /** Rows per JDBC batch, and values per IN list. */
    static final int CHUNK_SIZE = 1_000;

    private Batching() {
    }

    /** Consecutive views of {@code items}, each at most {@code size} long. */
    static <T> List<List<T>> chunks(List<T> items, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be positive, was " + size);
        }
        List<List<T>> chunks = new ArrayList<>((items.size() + size - 1) / size);
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }
}
