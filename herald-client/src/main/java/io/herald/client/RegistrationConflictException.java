package io.herald.client;

/** Registration found the client id already registered with another secret (HTTP 409). */
public final class RegistrationConflictException extends ApiException {
    public RegistrationConflictException(String errorCode, String message) {
        super(409, errorCode, message);
    }
}
