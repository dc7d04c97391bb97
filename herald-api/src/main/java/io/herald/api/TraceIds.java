package io.herald.api;

import com.linecorp.armeria.common.RequestHeaders;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.Wire;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the trace id of a push: a caller that already traces (W3C {@code traceparent}) keeps its trace; a caller
 * with its own id scheme sends {@code X-Trace-Id}; everyone else gets a fresh W3C-style id, so a push can always
 * be followed through the logs and to the device.
 */
final class TraceIds {
    static final String TRACEPARENT = "traceparent";
    static final String X_TRACE_ID = "x-trace-id";
    /** MDC keys, shared by every log line about a push. */
    static final String MDC_TRACE_ID = "traceId";
    static final String MDC_CLIENT_ID = "clientId";

    private static final HexFormat HEX = HexFormat.of();
    private static final int TRACEPARENT_V00_LENGTH = 55;
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);

    private TraceIds() {
    }

    /** The trace id for the request; an invalid {@code X-Trace-Id} is a 400, an invalid traceparent is ignored. */
    static String resolve(RequestHeaders headers) {
        List<String> traceparents = headers.getAll(TRACEPARENT);
        // W3C: more than one traceparent header is invalid, and an invalid one is treated as absent.
        if (traceparents.size() == 1) {
            String traceId = fromTraceparent(traceparents.get(0));
            if (traceId != null) {
                return traceId;
            }
        }
        String explicit = headers.get(X_TRACE_ID);
        if (explicit != null) {
            if (!FrameCodec.isValidTraceId(explicit)) {
                throw ApiException.badRequest(ErrorCodes.INVALID_TRACE_ID, "X-Trace-Id must be 1-"
                        + Wire.MAX_TRACE_ID_LENGTH + " printable ASCII characters without spaces");
            }
            return explicit;
        }
        return generate();
    }

    /**
     * The trace-id field of a W3C traceparent ({@code version-traceid-parentid-flags}), or null when the header
     * is not valid. Versions after 00 may append fields, so only their prefix is checked.
     */
    static String fromTraceparent(String value) {
        if (value == null) {
            return null;
        }
        String header = value.trim();
        if (header.length() < TRACEPARENT_V00_LENGTH) {
            return null;
        }
        String version = header.substring(0, 2);
        if (!isLowerHex(version) || version.equals("ff")) {
            return null;
        }
        if (version.equals("00") ? header.length() != TRACEPARENT_V00_LENGTH
                : header.length() > TRACEPARENT_V00_LENGTH && header.charAt(TRACEPARENT_V00_LENGTH) != '-') {
            return null;
        }
        if (header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
            return null;
        }
        String traceId = header.substring(3, 35);
        String parentId = header.substring(36, 52);
        String flags = header.substring(53, 55);
        if (!isLowerHex(traceId) || !isLowerHex(parentId) || !isLowerHex(flags)
                || traceId.equals(ZERO_TRACE_ID) || parentId.equals(ZERO_PARENT_ID)) {
            return null;
        }
        return traceId;
    }

    /** 32 lowercase hex digits of a random 128-bit value, never all zeros (W3C calls that invalid). */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
