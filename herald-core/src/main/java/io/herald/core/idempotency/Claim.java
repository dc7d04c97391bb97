package io.herald.core.idempotency;

/**
 * What {@link IdempotencyStore#claim} found.
 *
 * @param kind        whether the caller now holds the key, another request does, or the answer is known
 * @param keyHash     the key's hash
 * @param fingerprint the fingerprint of the request that claimed or answered the key first
 * @param claimedAt   when that request claimed it (epoch ms); with the hash, the claim's identity
 * @param status      the HTTP status kept for a {@link Kind#COMPLETED} key, else 0
 * @param body        the answer kept for a {@link Kind#COMPLETED} key, else null
 */
public record Claim(Kind kind, String keyHash, String fingerprint, long claimedAt, int status, byte[] body) {

    public enum Kind {
        /** The key was free: the caller serves the request and then completes or releases the claim. */
        CLAIMED,
        /** Another request holds the key and has not answered yet. */
        IN_PROGRESS,
        /** The key's first request was answered; its answer is kept. */
        COMPLETED
    }

    public static Claim claimed(String keyHash, String fingerprint, long claimedAt) {
        return new Claim(Kind.CLAIMED, keyHash, fingerprint, claimedAt, 0, null);
    }

    /** Whether the request that claimed the key first had this fingerprint. */
    public boolean sameRequest(String otherFingerprint) {
        return fingerprint.equals(otherFingerprint);
    }
}
