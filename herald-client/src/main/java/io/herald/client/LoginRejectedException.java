package io.herald.client;

/** The API refused the client id and secret (HTTP 401): retrying with the same credentials will not help. */
public final class LoginRejectedException extends ApiException {
    public LoginRejectedException(String errorCode, String message) {
        super(401, errorCode, message);
    }
}
