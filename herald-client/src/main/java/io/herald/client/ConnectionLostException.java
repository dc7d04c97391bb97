package io.herald.client;

/** The connection ended without the server saying why: closed by the peer, silent too long, or timed out. */
public final class ConnectionLostException extends HeraldException {
    public ConnectionLostException(String message) {
        super(message);
    }

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
