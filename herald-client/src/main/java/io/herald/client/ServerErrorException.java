package io.herald.client;

import io.herald.protocol.ErrorCode;

/** The gateway sent an ERROR frame, after which it closes the connection; the client reconnects. */
public final class ServerErrorException extends HeraldException {
    private final ErrorCode code;

    public ServerErrorException(ErrorCode code, String reason) {
        super("gateway reported " + code + (reason.isEmpty() ? "" : ": " + reason));
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /**
     * Whether the gateway gave up on a connection that looked dead from its side (silent past twice the heartbeat,
     * or a message left unacknowledged): a lost connection, not an error of either side.
     */
    public boolean isConnectionTimeout() {
        return code == ErrorCode.IDLE_TIMEOUT || code == ErrorCode.ACK_TIMEOUT;
    }
}
