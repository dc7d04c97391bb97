package io.herald.bench.sim;

/**
 * Only a new login helps, as the SDK does: the gateway refused the token (AUTH_FAIL), or it is full (ERROR
 * GATEWAY_FULL), and a login is how a cluster names a gateway with room.
 */
public final class LoginNeededException extends IllegalStateException {
    public LoginNeededException(String message) {
        super(message);
    }
}
