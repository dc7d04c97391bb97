package io.herald.client;

/**
 * The server ended this session for good (another login of the same client id took over, or an operator
 * kicked it). The client does not reconnect; sends still pending fail with this exception.
 */
public final class KickedException extends HeraldException {
    private final String reason;

    public KickedException(String reason) {
        super("kicked by the server" + (reason.isEmpty() ? "" : ": " + reason));
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
