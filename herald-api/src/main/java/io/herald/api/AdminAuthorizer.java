package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.security.SecretHasher;
import java.util.Objects;
import java.util.Optional;

/**
 * The one authorization rule of the operators' endpoints ({@code /api/v1} admin, push and device list, and the
 * console's own): a request is let through with either
 * <ul>
 *   <li>{@code Authorization: Bearer <api key>} (scripts, other services); a wrong key is refused, never tried as
 *       a session; or</li>
 *   <li>a console session cookie ({@link ConsoleSessions}), and, for anything but GET and HEAD, the session's CSRF
 *       token in {@value #CSRF_HEADER} and, when the browser sends one, an {@code Origin} of this same host.</li>
 * </ul>
 * It runs before the body is read, so an unauthorized caller cannot make the server buffer a 16 MiB body. The
 * threat model is in docs/console.md.
 */
final class AdminAuthorizer implements DecoratingHttpServiceFunction {
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String BEARER = "Bearer ";

    private final String apiKey;
    private final ConsoleSessions sessions;
    private final ConsoleCookie cookie;

    AdminAuthorizer(String apiKey, ConsoleSessions sessions, ConsoleCookie cookie) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.cookie = Objects.requireNonNull(cookie, "cookie");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        RequestHeaders headers = req.headers();
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            return hasApiKey(authorization) ? delegate.serve(ctx, req) : unauthorized(ctx);
        }
        Optional<ConsoleSessions.Session> session = sessions.find(cookie.sessionId(headers));
        if (session.isEmpty()) {
            return unauthorized(ctx);
        }
        if (changesState(headers.method()) && !passesCsrfCheck(headers, session.get())) {
            return JsonErrors.response(HttpStatus.FORBIDDEN, ErrorCodes.CSRF_REJECTED,
                    "a console request that changes state needs the session's " + CSRF_HEADER
                            + " header and an Origin of this host");
        }
        return delegate.serve(ctx, req);
    }

    /** Whether {@code presented} is the API key (the console's sign-in form); the comparison takes constant time. */
    boolean isApiKey(String presented) {
        // Presented value first: the comparison's time then depends on its length, not on the key's.
        return presented != null && SecretHasher.constantTimeEquals(presented, apiKey);
    }

    boolean hasApiKey(String authorization) {
        // The auth scheme is case-insensitive (RFC 9110 11.1).
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return isApiKey(authorization.substring(BEARER.length()).trim());
    }

    static boolean changesState(HttpMethod method) {
        return method != HttpMethod.GET && method != HttpMethod.HEAD;
    }

    private static boolean passesCsrfCheck(RequestHeaders headers, ConsoleSessions.Session session) {
        String token = headers.get(CSRF_HEADER);
        return token != null && SecretHasher.constantTimeEquals(token, session.csrfToken())
                && SameOrigin.allows(headers, false);
    }

    private static HttpResponse unauthorized(ServiceRequestContext ctx) {
        ctx.addAdditionalResponseHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        return JsonErrors.response(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                "a valid API key is required: Authorization: Bearer <api key>");
    }
}
