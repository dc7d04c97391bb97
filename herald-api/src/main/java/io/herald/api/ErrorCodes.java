package io.herald.api;

import com.linecorp.armeria.common.HttpStatus;

/** The {@code error.code} values clients can rely on; one place so that they stay consistent. */
final class ErrorCodes {
    static final String INVALID_REQUEST = "invalid_request";
    static final String MALFORMED_JSON = "malformed_json";
    static final String INVALID_CLIENT_ID = "invalid_client_id";
    static final String INVALID_SECRET = "invalid_secret";
    static final String INVALID_TRACE_ID = "invalid_trace_id";
    static final String INVALID_PAYLOAD = "invalid_payload";
    static final String UNAUTHORIZED = "unauthorized";
    static final String INVALID_CREDENTIALS = "invalid_credentials";
    static final String DEVICE_NOT_FOUND = "device_not_found";
    static final String MESSAGE_NOT_FOUND = "message_not_found";
    static final String NOT_FOUND = "not_found";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String CLIENT_ID_TAKEN = "client_id_taken";
    static final String REQUEST_TOO_LARGE = "request_too_large";
    static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    static final String NO_GATEWAY = "no_gateway";
    static final String PUSH_FAILED = "push_failed";
    static final String TIMEOUT = "timeout";
    static final String SERVICE_UNAVAILABLE = "service_unavailable";
    static final String TOO_MANY_REQUESTS = "too_many_requests";
    static final String INTERNAL_ERROR = "internal_error";
    static final String CSRF_REJECTED = "csrf_rejected";
    static final String INVALID_TAG = "invalid_tag";
    static final String INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key";
    static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";
    static final String IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use";

    private ErrorCodes() {
    }

    /** The code for a status Armeria produced by itself (routing, limits), where no handler chose one. */
    static String forStatus(HttpStatus status) {
        return switch (status.code()) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status.isServerError() ? INTERNAL_ERROR : snakeCase(status.reasonPhrase());
        };
    }

    private static String snakeCase(String reasonPhrase) {
        return reasonPhrase.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_|_$", "");
    }
}
