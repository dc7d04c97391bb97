package io.herald.core.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocation list in memory, which AUTH reads: per client id a <em>mark</em>, and the ids of single revoked
 * tokens. A token carries its client's mark from when it was issued; it is revoked once the client's mark is
 * higher ({@link #raise}: every token issued before is refused, every one issued after carries the new mark and
 * is not), or when its own id is listed. Revoking all tokens of a client is one number, whatever the number of
 * tokens, and no token needs to be found to revoke it.
 *
 * <p>Issuing reads the mark, revoking raises it; a token whose issue read the mark before a raise carries the old
 * one and is refused after it: issuing and revoking all are atomic with respect to each other without a lock.
 * Marks only grow: a raise sets {@code max(now, mark + 1)} in milliseconds, so a mark that was forgotten (the
 * entry expired, or the list started empty) is replaced by a higher one than any token carries.
 *
 * <p>Entries are kept until {@code expiresAtMillis}; {@link #purgeExpired} forgets older ones. Thread-safe.
 */
public final class RevocationList {
    private record Mark(long mark, long expiresAtMillis) {
    }

    private final Map<String, Mark> clients = new ConcurrentHashMap<>();
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();

    /** The client's current mark, 0 when it has none: what a token issued now carries. */
    public long markOf(String clientId) {
        Mark mark = clients.get(clientId);
        return mark == null ? 0 : mark.mark();
    }

    /** Whether the list refuses this token. */
    public boolean revokes(TokenClaims claims) {
        return claims.revocationMark() < markOf(claims.clientId()) || tokens.containsKey(claims.tokenId());
    }

    /**
     * Raises the client's mark above every token issued so far; the entry lives at least until
     * {@code expiresAtMillis}. Returns the entry as it now is.
     */
    public Revocation raise(String clientId, long nowMillis, long expiresAtMillis) {
        Mark raised = clients.merge(clientId, new Mark(nowMillis, expiresAtMillis), (old, fresh) ->
                new Mark(Math.max(fresh.mark(), old.mark() + 1), Math.max(old.expiresAtMillis(), expiresAtMillis)));
        return Revocation.client(clientId, raised.mark(), raised.expiresAtMillis());
    }

    /** Takes an entry written elsewhere (loaded at start, or sent by another node); never lowers a mark. */
    public void apply(Revocation entry) {
        switch (entry.kind()) {
            case CLIENT -> clients.merge(entry.key(), new Mark(entry.mark(), entry.expiresAtMillis()), (old, fresh) ->
                    new Mark(Math.max(old.mark(), fresh.mark()),
                            Math.max(old.expiresAtMillis(), fresh.expiresAtMillis())));
            case TOKEN -> tokens.merge(entry.key(), entry.expiresAtMillis(), Math::max);
        }
    }

    /** Forgets entries whose tokens have all expired; returns how many. */
    public int purgeExpired(long nowMillis) {
        int before = size();
        clients.values().removeIf(mark -> mark.expiresAtMillis() <= nowMillis);
        tokens.values().removeIf(expiresAt -> expiresAt <= nowMillis);
        return Math.max(0, before - size());
    }

    /** Every entry, for writing the list back where it was lost. */
    public List<Revocation> entries() {
        List<Revocation> entries = new ArrayList<>(size());
        clients.forEach((clientId, mark) -> entries.add(Revocation.client(clientId, mark.mark(),
                mark.expiresAtMillis())));
        tokens.forEach((tokenId, expiresAt) -> entries.add(Revocation.token(tokenId, expiresAt)));
        return entries;
    }

    public int size() {
        return clients.size() + tokens.size();
    }
}
