package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceIdsTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String VALID = "00-" + TRACE + "-00f067aa0ba902b7-01";

    private static RequestHeaders headers(String... nameValues) {
        return RequestHeaders.builder(HttpMethod.POST, "/api/v1/push").add(headersOf(nameValues)).build();
    }

    private static java.util.List<java.util.Map.Entry<String, String>> headersOf(String... nameValues) {
        java.util.List<java.util.Map.Entry<String, String>> list = new java.util.ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            list.add(java.util.Map.entry(nameValues[i], nameValues[i + 1]));
        }
        return list;
    }

    @Test
    void validTraceparent() {
        assertThat(TraceIds.fromTraceparent(VALID)).isEqualTo(TRACE);
        assertThat(TraceIds.fromTraceparent(" " + VALID + " ")).isEqualTo(TRACE);
        // a later version may append fields
        assertThat(TraceIds.fromTraceparent("01-" + TRACE + "-00f067aa0ba902b7-01-extra")).isEqualTo(TRACE);
    }

    @Test
    void invalidTraceparents() {
        assertThat(TraceIds.fromTraceparent(null)).isNull();
        assertThat(TraceIds.fromTraceparent("")).isNull();
        assertThat(TraceIds.fromTraceparent(VALID.toUpperCase())).isNull();
        assertThat(TraceIds.fromTraceparent("ff-" + TRACE + "-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceIds.fromTraceparent("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceIds.fromTraceparent("00-" + TRACE + "-0000000000000000-01")).isNull();
        assertThat(TraceIds.fromTraceparent(VALID + "-extra")).isNull(); // version 00 has exactly four fields
        assertThat(TraceIds.fromTraceparent("00_" + TRACE + "_00f067aa0ba902b7_01")).isNull();
        assertThat(TraceIds.fromTraceparent("00-" + TRACE + "-00f067aa0ba902b7-0g")).isNull();
    }

    @Test
    void resolveOrder() {
        assertThat(TraceIds.resolve(headers("traceparent", VALID, "x-trace-id", "mine"))).isEqualTo(TRACE);
        assertThat(TraceIds.resolve(headers("traceparent", "bogus", "x-trace-id", "mine"))).isEqualTo("mine");
        assertThat(TraceIds.resolve(headers())).matches("[0-9a-f]{32}");
        // two traceparent headers are invalid: ignored
        assertThat(TraceIds.resolve(headers("traceparent", VALID, "traceparent", VALID, "x-trace-id", "mine")))
                .isEqualTo("mine");
    }

    @Test
    void invalidXTraceIdIsRejected() {
        assertThatThrownBy(() -> TraceIds.resolve(headers("x-trace-id", "a b")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("X-Trace-Id");
        assertThatThrownBy(() -> TraceIds.resolve(headers("x-trace-id", "x".repeat(65))))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void generatedIdsAreLowercaseHexAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = TraceIds.generate();
            assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }
}
