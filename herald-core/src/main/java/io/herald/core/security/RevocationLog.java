package io.herald.core.security;

import java.util.List;

/** Keeps revocation entries across restarts (standalone: a table in the embedded database). */
public interface RevocationLog {

    /** Stores the entry (replacing one with the same kind and key); returns once it is durable. */
    void record(Revocation entry);

    /** Every entry not expired at {@code nowMillis}. */
    List<Revocation> load(long nowMillis);

    /** Deletes the entries expired at {@code nowMillis}; returns how many. */
    int purgeExpired(long nowMillis);

    /** Nothing kept: revocations last as long as the process (tests, and nodes without a data directory). */
    RevocationLog NONE = new RevocationLog() {
        @Override
        public void record(Revocation entry) {
        }

        @Override
        public List<Revocation> load(long nowMillis) {
            return List.of();
        }

        @Override
        public int purgeExpired(long nowMillis) {
            return 0;
        }
    };
}
