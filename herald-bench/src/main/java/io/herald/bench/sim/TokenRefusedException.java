package io.herald.bench.sim;

/** The gateway answered AUTH_FAIL: the token is no good any more, and only a new login helps (as the SDK does). */
public final class TokenRefusedException extends IllegalStateException {
    public TokenRefusedException(String message) {
        super(message);
    }
}
