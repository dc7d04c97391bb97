package io.herald.client;

/**
 * The HTTP API answered with an error ({@code {"error":{"code","message"}}}). 5xx, 408 and 429 answers are
 * {@linkplain #isRetryable() retryable}: the client keeps trying with backoff; other 4xx answers are not.
 */
public class ApiException extends HeraldException {
    private final int status;
    private final String errorCode;

    public ApiException(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The {@code error.code} of the answer, or {@code null} when the body had none. */
    public String errorCode() {
        return errorCode;
    }

    /** Whether the same request may succeed later (server error, timeout, rate limit). */
    public boolean isRetryable() {
        return status >= 500 || status == 408 || status == 429;
    }
}
