package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpResponseException;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide error handler, so that errors raised outside our handlers (no route, wrong method, body over
 * the limit, timeouts, protocol violations) get the same JSON body as the ones our handlers produce.
 */
final class JsonErrorHandler implements ServerErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        Throwable peeled = Exceptions.peel(cause);
        if (peeled instanceof ApiException e) {
            return JsonErrors.response(e);
        }
        if (peeled instanceof ContentTooLargeException) {
            return JsonErrors.response(HttpStatus.REQUEST_ENTITY_TOO_LARGE, ErrorCodes.REQUEST_TOO_LARGE,
                    "request body is larger than " + ctx.maxRequestLength() + " bytes");
        }
        if (peeled instanceof RequestTimeoutException) {
            // The body may still be arriving (trickled in on purpose): an HTTP/1 connection is then closed once the
            // answer is out instead of held while the caller keeps sending. (HTTP/2 resets just that stream.)
            if (!ctx.sessionProtocol().isMultiplex() && !ctx.request().isComplete()) {
                ctx.initiateConnectionShutdown(Duration.ZERO);
            }
            return JsonErrors.response(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.TIMEOUT,
                    "the request took too long and was abandoned");
        }
        if (peeled instanceof HttpStatusException e) {
            // e.g. a Content-Length over the limit, refused before the body arrives
            HttpStatus status = e.httpStatus();
            return JsonErrors.response(status, ErrorCodes.forStatus(status),
                    message(ctx.config(), ctx.request().headers(), status, null));
        }
        if (peeled instanceof HttpResponseException e) {
            return e.httpResponse();
        }
        Duration retryAfter = Unavailability.retryAfter(peeled);
        if (retryAfter != null) {
            log.warn("{} {} failed: a service is unavailable: {}", ctx.method(), ctx.path(), peeled.toString());
            return JsonErrors.unavailable(retryAfter, "a service this request needs is unavailable");
        }
        // Only the exception: request bodies may hold secrets and are never logged.
        log.warn("{} {} failed", ctx.method(), ctx.path(), peeled);
        return JsonErrors.response(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCodes.INTERNAL_ERROR,
                "internal error");
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config,
                                               RequestHeaders headers, HttpStatus status, String description,
                                               Throwable cause) {
        return JsonErrors.aggregated(status, ErrorCodes.forStatus(status),
                message(config, headers, status, description));
    }

    private static String message(ServiceConfig config, RequestHeaders headers, HttpStatus status,
                                  String description) {
        String path = headers == null ? null : Texts.abbreviate(withoutQuery(headers.path()));
        int code = status.code();
        if (code == 404 && path != null) {
            return "no endpoint at " + path;
        }
        if (code == 405 && path != null) {
            return headers.method() + " is not allowed on " + path;
        }
        if (code == 413) {
            return config != null ? "request body is larger than " + config.maxRequestLength() + " bytes"
                    : "request body is too large";
        }
        // Armeria's descriptions of client errors are generic; server-side ones could leak internals, so those
        // get the reason phrase only.
        return description != null && status.isClientError() ? description : status.reasonPhrase();
    }

    /** The query string is left out of messages: it is the caller's data, not part of the route. */
    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query >= 0 ? path.substring(0, query) : path;
    }
}
