package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.security.SecretHasher;
import java.util.Objects;

/**
 * Lets a request through only with {@code Authorization: Bearer <api key>}. It runs before the body is read,
 * so an unauthorized caller cannot make the server buffer a 16 MiB body.
 */
final class ApiKeyAuthorizer implements DecoratingHttpServiceFunction {
    private static final String BEARER = "Bearer ";

    private final String apiKey;

    ApiKeyAuthorizer(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (isAuthorized(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return delegate.serve(ctx, req);
        }
        ctx.addAdditionalResponseHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        return JsonErrors.response(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                "a valid API key is required: Authorization: Bearer <api key>");
    }

    boolean isAuthorized(String authorization) {
        // The auth scheme is case-insensitive (RFC 9110 11.1).
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String presented = authorization.substring(BEARER.length()).trim();
        // Presented value first: the comparison's time then depends on its length, not on the key's.
        return SecretHasher.constantTimeEquals(presented, apiKey);
    }
}
