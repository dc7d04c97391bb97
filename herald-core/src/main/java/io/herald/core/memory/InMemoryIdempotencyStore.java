package io.herald.core.memory;

import io.herald.core.idempotency.Claim;
import io.herald.core.idempotency.IdempotencyStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys in process memory, with the same rules as the database's: for tests and tools. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Entry(Claim claim, long expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Claim claim(String keyHash, String fingerprint, long nowMillis, long expiresAt, long abandonedAfterMillis) {
        Claim[] found = new Claim[1];
        entries.compute(keyHash, (hash, entry) -> {
            boolean free = entry == null || entry.expiresAt() <= nowMillis
                    || (entry.claim().kind() == Claim.Kind.CLAIMED
                    && entry.claim().claimedAt() + abandonedAfterMillis <= nowMillis);
            if (free) {
                found[0] = Claim.claimed(hash, fingerprint, nowMillis);
                return new Entry(found[0], expiresAt);
            }
            Claim held = entry.claim();
            found[0] = held.kind() == Claim.Kind.CLAIMED
                    ? new Claim(Claim.Kind.IN_PROGRESS, hash, held.fingerprint(), held.claimedAt(), 0, null)
                    : held;
            return entry;
        });
        return found[0];
    }

    @Override
    public void complete(Claim claim, int status, byte[] body) {
        entries.computeIfPresent(claim.keyHash(), (hash, entry) -> holds(entry, claim)
                ? new Entry(new Claim(Claim.Kind.COMPLETED, hash, claim.fingerprint(), claim.claimedAt(), status,
                        body.clone()), entry.expiresAt())
                : entry);
    }

    @Override
    public void release(Claim claim) {
        entries.computeIfPresent(claim.keyHash(), (hash, entry) -> holds(entry, claim) ? null : entry);
    }

    @Override
    public int purgeExpired(long nowMillis) {
        int before = entries.size();
        entries.values().removeIf(entry -> entry.expiresAt() <= nowMillis);
        return Math.max(0, before - entries.size());
    }

    private static boolean holds(Entry entry, Claim claim) {
        return entry.claim().kind() == Claim.Kind.CLAIMED && entry.claim().claimedAt() == claim.claimedAt();
    }
}
