package io.herald.client;

import io.herald.client.internal.NoUsableGatewayException;
import io.herald.protocol.ErrorCode;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Why a connection attempt failed, and whether trying again can help. */
final class AttemptFailures {
    /** AUTH_FAIL codes that say "not now" rather than "never": retried even before the first connection. */
    private static final Set<ErrorCode> TRANSIENT_AUTH_FAILURES = EnumSet.of(ErrorCode.AUTH_TIMEOUT,
            ErrorCode.RATE_LIMITED, ErrorCode.SERVER_BUSY, ErrorCode.INTERNAL_ERROR);

    private AttemptFailures() {
    }

    /**
     * Whether retrying cannot help. An INVALID_TOKEN for a token kept from an earlier attempt only means that
     * it expired meanwhile (the gateway was down longer than the token lives): a new login fixes that.
     */
    static boolean isPermanent(Throwable cause, boolean freshToken) {
        if (cause instanceof ApiException api) {
            return !api.isRetryable();
        }
        if (cause instanceof AuthenticationFailedException auth) {
            if (auth.code() == ErrorCode.INVALID_TOKEN) {
                return freshToken;
            }
            return !TRANSIENT_AUTH_FAILURES.contains(auth.code());
        }
        return cause instanceof NoUsableGatewayException;
    }

    /** What an HTTP call's stage failed with, unwrapped from the stages' wrappers. */
    static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
