package io.herald.api;

import com.linecorp.armeria.common.HttpStatus;
import java.util.Objects;

/**
 * A request that cannot be served, with the status and the machine-readable code the client gets back in the
 * JSON error body. Thrown by the handlers for expected failures (bad input, unknown device), so it carries no
 * stack trace: it is control flow, not a bug report.
 */
final class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;

    ApiException(HttpStatus status, String code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.code = Objects.requireNonNull(code, "code");
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    /** The generic 400 for a request whose fields are missing, of the wrong type or out of range. */
    static ApiException invalidRequest(String message) {
        return badRequest(ErrorCodes.INVALID_REQUEST, message);
    }

    static ApiException deviceNotFound(String clientId) {
        return new ApiException(HttpStatus.NOT_FOUND, ErrorCodes.DEVICE_NOT_FOUND,
                "device " + clientId + " is not registered");
    }

    static ApiException messageNotFound(String messageId) {
        return new ApiException(HttpStatus.NOT_FOUND, ErrorCodes.MESSAGE_NOT_FOUND, "message " + messageId
                + " is not stored for any device and no outcome of it is kept (unknown, QoS 0, or older than the"
                + " status retention)");
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
