package io.herald.core.security;

/**
 * Where a {@link SignedTokenStore} records revocations and reads them back: the list in memory and a file-backed
 * log in standalone ({@link LocalRevocations}), Redis in a cluster. Recording returns once the revocation is
 * durable where the implementation keeps it: the caller answers the operator after it.
 */
public interface Revocations {

    /** The client's mark now, which a token issued now carries (0: none). */
    long markOf(String clientId);

    /** Whether the token is refused. */
    boolean revokes(TokenClaims claims);

    /** Refuses this one token from now on (until it expires). */
    void revokeToken(TokenClaims claims);

    /** Refuses every token of the client id issued until now. */
    void revokeClient(String clientId);
}
