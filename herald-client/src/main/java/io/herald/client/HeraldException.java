package io.herald.client;

/** Base of every failure the SDK reports, so callers can catch the SDK's own errors in one place. */
public class HeraldException extends RuntimeException {
    public HeraldException(String message) {
        super(message);
    }

    public HeraldException(String message, Throwable cause) {
        super(message, cause);
    }
}
