package io.herald.core.idempotency;

/**
 * Remembers requests by their {@code Idempotency-Key}, shared by every API node that pushes, so that a retried push
 * is answered from memory instead of pushed again. A key goes through two states: claimed (a request with it is
 * being served) and completed (its answer is kept until the key expires).
 *
 * <p>{@link #claim} is the race-safe step: of two concurrent claims of a free key exactly one gets
 * {@link Claim.Kind#CLAIMED}. A key whose answer has expired, or whose claim was abandoned (the node died while
 * serving it) for longer than {@code abandonedAfterMillis}, is free again. Implementations block (a database).
 */
public interface IdempotencyStore {

    /**
     * Claims {@code keyHash} for a new request, or says what is known of it.
     *
     * @param keyHash      the key's SHA-256, 64 lowercase hex digits (keys themselves are never stored)
     * @param fingerprint  what the request was (SHA-256 hex of its route and body): a replay needs the same
     * @param expiresAt    until when (epoch ms) the completed answer is kept
     * @param abandonedAfterMillis how long a claim may stay uncompleted before another request may take it over
     */
    Claim claim(String keyHash, String fingerprint, long nowMillis, long expiresAt, long abandonedAfterMillis);

    /** Keeps the answer of the request that holds {@code claim}; nothing when the claim was taken over meanwhile. */
    void complete(Claim claim, int status, byte[] body);

    /** Frees the key of {@code claim} (the request failed and may be retried); nothing when taken over meanwhile. */
    void release(Claim claim);

    /** Forgets the keys whose answers have expired; returns how many. */
    int purgeExpired(long nowMillis);
}
