package io.herald.client;

import io.herald.protocol.ErrorCode;

/** The gateway answered AUTH with AUTH_FAIL. {@link ErrorCode#INVALID_TOKEN} makes the client log in again. */
public final class AuthenticationFailedException extends HeraldException {
    private final ErrorCode code;

    public AuthenticationFailedException(ErrorCode code, String reason) {
        super("gateway refused authentication: " + code + (reason.isEmpty() ? "" : " (" + reason + ")"));
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
