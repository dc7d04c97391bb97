package io.herald.core.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Revocations of a standalone node: the list in memory, which AUTH reads, and a {@link RevocationLog} that keeps
 * it across restarts (loaded once, here). A revocation goes to memory first, so it applies at once, then to the
 * log; the call returns once the log has it. A client entry is kept for the token TTL plus
 * {@link #CLOCK_MARGIN}: the longest a token issued before it can live.
 */
public final class LocalRevocations implements Revocations {
    /** Covers a clock stepped back between issuing a token and revoking it. */
    public static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    private final RevocationList list = new RevocationList();
    private final RevocationLog log;
    private final Clock clock;
    private final long keepClientEntriesMillis;

    public LocalRevocations(RevocationLog log, Clock clock, Duration tokenTtl) {
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keepClientEntriesMillis = tokenTtl.plus(CLOCK_MARGIN).toMillis();
        log.load(clock.millis()).forEach(list::apply);
    }

    @Override
    public long markOf(String clientId) {
        return list.markOf(clientId);
    }

    @Override
    public boolean revokes(TokenClaims claims) {
        return list.revokes(claims);
    }

    @Override
    public void revokeToken(TokenClaims claims) {
        Revocation entry = Revocation.token(claims.tokenId(), claims.expiresAt().toEpochMilli());
        list.apply(entry);
        log.record(entry);
    }

    @Override
    public void revokeClient(String clientId) {
        long now = clock.millis();
        log.record(list.raise(clientId, now, now + keepClientEntriesMillis));
    }

    /** Forgets expired entries, in memory and in the log; returns how many were in memory. */
    public int purgeExpired() {
        long now = clock.millis();
        log.purgeExpired(now);
        return list.purgeExpired(now);
    }

    public int size() {
        return list.size();
    }
}
