package io.herald.client;

/** An HTTP call to the API did not get an answer (connection refused, timeout, DNS failure); retried. */
public final class ApiUnreachableException extends HeraldException {
    public ApiUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
