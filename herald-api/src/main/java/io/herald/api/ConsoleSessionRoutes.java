package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.limit.AttemptLimiter;
import io.herald.core.net.AddressBlocks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's sign-in, session and sign-out under {@code /console/api/session}:
 * <ul>
 *   <li>{@code POST} {@code {"apiKey": ...}}: checks the key (wrong keys count per source address, like failed
 *       device logins), starts a session and sets its cookie; answers the CSRF token the page sends back;</li>
 *   <li>{@code GET}: the current session's CSRF token (the page after a reload), 401 without one;</li>
 *   <li>{@code DELETE}: signs out (under the {@link AdminAuthorizer}'s rule, CSRF token included).</li>
 * </ul>
 */
final class ConsoleSessionRoutes {
    private static final Logger log = LoggerFactory.getLogger(ConsoleSessionRoutes.class);
    static final String PATH = "/console/api/session";
    private static final Set<String> FIELDS = Set.of("apiKey");

    record NodeName(String role, String id) {
    }

    record SessionJson(String csrfToken, String expiresAt, NodeName node) {
    }

    private final ConsoleSessions sessions;
    private final ConsoleCookie cookie;
    private final AdminAuthorizer authorizer;
    private final AttemptLimiter failures;
    private final ClientAddresses sources;
    private final NodeName node;

    /** @param failures wrong keys per source address block */
    ConsoleSessionRoutes(ConsoleSessions sessions, ConsoleCookie cookie, AdminAuthorizer authorizer,
                         AttemptLimiter failures, ClientAddresses sources, ApiDependencies.Console console) {
        this.sessions = sessions;
        this.cookie = cookie;
        this.authorizer = authorizer;
        this.failures = failures;
        this.sources = sources;
        this.node = new NodeName(console.nodeRole(), console.nodeId());
    }

    void bind(ServerBuilder sb) {
        sb.route().post(PATH).maxRequestLength(ApiSettings.CREDENTIALS_MAX_REQUEST_BYTES)
                .build(BlockingRoute.of(this::signIn));
        sb.route().get(PATH).build(BlockingRoute.of(this::current));
        sb.route().delete(PATH).build(BlockingRoute.of(this::signOut).decorate(authorizer));
    }

    private HttpResponse signIn(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        // A form on another site must not sign the browser in to a session of its choosing (login CSRF).
        if (!SameOrigin.allows(request.headers(), true)) {
            return JsonErrors.response(HttpStatus.FORBIDDEN, ErrorCodes.CSRF_REJECTED,
                    "sign in from the console's own page (Origin of this host)");
        }
        InetAddress source = sources.of(ctx);
        String block = AddressBlocks.key(source);
        Duration wait = failures.blockedFor(block);
        if (wait != null) {
            log.info("console sign-in refused: too many wrong API keys from {}", source.getHostAddress());
            return JsonErrors.tooManyRequests(wait, "too many wrong API keys");
        }
        String apiKey = JsonRequest.parse(request, FIELDS).optionalString("apiKey");
        if (!authorizer.isApiKey(apiKey)) {
            failures.record(block);
            log.info("console sign-in with a wrong API key from {}", source.getHostAddress());
            return JsonErrors.response(HttpStatus.UNAUTHORIZED, ErrorCodes.INVALID_CREDENTIALS, "wrong API key");
        }
        ConsoleSessions.Session session = sessions.create();
        log.info("console signed in from {}", source.getHostAddress());
        return withCookie(HttpStatus.OK, cookie.set(session.id()), sessionJson(session));
    }

    private HttpResponse current(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        return sessions.find(cookie.sessionId(request.headers()))
                .map(session -> Json.response(HttpStatus.OK, sessionJson(session)))
                .orElseGet(() -> JsonErrors.response(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                        "not signed in to the console"));
    }

    private HttpResponse signOut(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        boolean ended = sessions.remove(cookie.sessionId(request.headers()));
        if (ended) {
            log.info("console signed out");
        }
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT)
                .add(HttpHeaderNames.SET_COOKIE, cookie.clear()).build());
    }

    private SessionJson sessionJson(ConsoleSessions.Session session) {
        return new SessionJson(session.csrfToken(), session.expiresAt().toString(), node);
    }

    private static HttpResponse withCookie(HttpStatus status, String setCookie, Object body) {
        return HttpResponse.of(ResponseHeaders.builder(status)
                        .contentType(MediaType.JSON_UTF_8)
                        .add(HttpHeaderNames.SET_COOKIE, setCookie)
                        .add(HttpHeaderNames.CACHE_CONTROL, "no-store").build(),
                HttpData.wrap(Json.bytes(body)));
    }
}
