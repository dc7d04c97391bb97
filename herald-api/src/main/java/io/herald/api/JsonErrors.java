package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import java.time.Duration;

/** Renders every error the same way: {@code {"error":{"code":"...","message":"..."}}}. */
final class JsonErrors {

    record ErrorBody(Detail error) {
    }

    record Detail(String code, String message) {
    }

    private JsonErrors() {
    }

    static HttpResponse response(ApiException e) {
        return response(e.status(), e.code(), e.getMessage());
    }

    static HttpResponse response(HttpStatus status, String code, String message) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body(code, message));
    }

    /** 503 with {@code Retry-After}: a service the request needs is down; the message says what to retry. */
    static HttpResponse unavailable(Duration retryAfter, String message) {
        return withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE, retryAfter, message);
    }

    /** 429 with {@code Retry-After}: the caller is over a limit until then. */
    static HttpResponse tooManyRequests(Duration retryAfter, String message) {
        return withRetryAfter(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.TOO_MANY_REQUESTS, retryAfter, message);
    }

    static HttpResponse withRetryAfter(HttpStatus status, String code, Duration retryAfter, String message) {
        return aggregatedWithRetryAfter(status, code, retryAfter, message).toHttpResponse();
    }

    /** The error with {@code Retry-After}, whole: for answers that are kept (an idempotent push's) or inspected. */
    static AggregatedHttpResponse aggregatedWithRetryAfter(HttpStatus status, String code, Duration retryAfter,
                                                           String message) {
        long seconds = retryAfterSeconds(retryAfter);
        return AggregatedHttpResponse.of(ResponseHeaders.builder(status)
                        .contentType(MediaType.JSON_UTF_8)
                        .add(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds))
                        .build(),
                HttpData.wrap(body(code, message + "; retry after " + seconds + " s")));
    }

    /** Whole seconds, rounded up: retrying at the announced time must not be refused again. */
    static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    static AggregatedHttpResponse aggregated(HttpStatus status, String code, String message) {
        return AggregatedHttpResponse.of(status, MediaType.JSON_UTF_8, body(code, message));
    }

    static byte[] body(String code, String message) {
        return Json.bytes(new ErrorBody(new Detail(code, message)));
    }
}
