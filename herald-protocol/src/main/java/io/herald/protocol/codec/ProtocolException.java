package io.herald.protocol.codec;

import io.herald.protocol.ErrorCode;

/** Input that breaks the protocol; carries the error code to answer with. No stack trace: it is expected input. */
public final class ProtocolException extends Exception {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
