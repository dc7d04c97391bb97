package io.herald.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/** The one Jackson mapper of the API and JSON responses built with it. */
final class Json {
    /**
     * Strict on input: a duplicated key or anything after the top-level value is malformed rather than silently
     * resolved one way or the other. Parsing stays within {@link JsonLimits}. Optional response fields that are
     * null are left out.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(boundedFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // exact numbers, so a JSON payload given as a value is passed on with the digits it was sent with
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();

    private Json() {
    }

    /** A factory whose parsers keep to {@link JsonLimits}; every mapper of the API is built on one. */
    static JsonFactory boundedFactory() {
        return JsonFactory.builder().streamReadConstraints(JsonLimits.CONSTRAINTS).build();
    }

    static HttpResponse response(HttpStatus status, Object body) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, bytes(body));
    }

    static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // our response types are plain records of strings and numbers: this is a programming error
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }
}
