package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

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

    static AggregatedHttpResponse aggregated(HttpStatus status, String code, String message) {
        return AggregatedHttpResponse.of(status, MediaType.JSON_UTF_8, body(code, message));
    }

    static byte[] body(String code, String message) {
        return Json.bytes(new ErrorBody(new Detail(code, message)));
    }
}
