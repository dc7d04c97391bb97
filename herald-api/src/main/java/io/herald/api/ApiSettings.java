package io.herald.api;

import io.herald.protocol.Wire;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the HTTP API listens and what it accepts. Start from {@link #of(String)} (all defaults) and adjust with the
 * {@code with*} methods; the canonical constructor validates every value and says what is wrong.
 *
 * @param port             TCP port, 0 to let the system pick a free one ({@link HttpApiServer#start()} returns it)
 * @param bindAddress      host name or IP literal to bind, e.g. {@code 0.0.0.0} for every interface
 * @param apiKey           the operators' bearer key for push and admin endpoints; never logged
 * @param openRegistration whether devices may register themselves; when false, registration needs the API key
 * @param maxRequestBytes  largest request body; large enough for a push naming 100,000 ids
 * @param maxPayloadBytes  largest message payload, after Base64 decoding: a frame body has to hold it plus headers
 * @param defaultTtl       how long a push is kept for offline devices when the request names no TTL
 * @param maxTtl           the longest TTL a push may ask for
 * @param limits           failed logins and registrations allowed per client id and source address
 * @param corsOrigins      web origins whose pages may call the device endpoints (login, registration), as
 *                         {@code scheme://host[:port]}, or {@code *} for any; empty (the default): none
 * @param idempotencyWindow how long the answer of a push with an {@code Idempotency-Key} is replayed for
 */
public record ApiSettings(int port, String bindAddress, String apiKey, boolean openRegistration,
                          int maxRequestBytes, int maxPayloadBytes, Duration defaultTtl, Duration maxTtl,
                          ApiLimits limits, List<String> corsOrigins, Duration idempotencyWindow) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final boolean DEFAULT_OPEN_REGISTRATION = true;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    /**
     * Largest body of the endpoints anyone may call (login, registration): credentials fit in well under 1 KiB,
     * and a stranger's body is parsed before anything else about it is known.
     */
    public static final int CREDENTIALS_MAX_REQUEST_BYTES = 4 * 1024;
    /** Room the MESSAGE frame needs besides the payload (ids, timestamps, trace id). */
    public static final int FRAME_OVERHEAD_BYTES = 128;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = Wire.DEFAULT_MAX_BODY_LENGTH - FRAME_OVERHEAD_BYTES;
    /** No configuration can make a payload larger than the largest frame body allows. */
    public static final int HARD_MAX_PAYLOAD_BYTES = Wire.HARD_MAX_BODY_LENGTH - FRAME_OVERHEAD_BYTES;
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(30);
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /** Longer than a claim may stay abandoned, so a key is never free while its first push may still run. */
    public static final Duration MIN_IDEMPOTENCY_WINDOW = Duration.ofMinutes(5);
    public static final Duration MAX_IDEMPOTENCY_WINDOW = Duration.ofDays(7);

    public ApiSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("API port must be 0-65535 (0 picks a free port), was " + port);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("API bind address is required, e.g. " + DEFAULT_BIND_ADDRESS);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("API key is required and must not be blank");
        }
        if (maxPayloadBytes < 1 || maxPayloadBytes > HARD_MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("max payload size must be 1-" + HARD_MAX_PAYLOAD_BYTES
                    + " bytes, was " + maxPayloadBytes);
        }
        if (maxRequestBytes > JsonLimits.MAX_DOCUMENT_BYTES) {
            throw new IllegalArgumentException("max request size must be at most " + JsonLimits.MAX_DOCUMENT_BYTES
                    + " bytes, was " + maxRequestBytes);
        }
        if (maxRequestBytes <= maxPayloadBytes) {
            throw new IllegalArgumentException("max request size (" + maxRequestBytes
                    + " bytes) must be larger than the max payload size (" + maxPayloadBytes + " bytes)");
        }
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (maxTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("max TTL must be at least 1 second, was " + maxTtl);
        }
        if (defaultTtl.compareTo(Duration.ofSeconds(1)) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("default TTL must be from 1 second to the max TTL (" + maxTtl
                    + "), was " + defaultTtl);
        }
        Objects.requireNonNull(limits, "limits");
        corsOrigins = DeviceCors.checkOrigins(corsOrigins);
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
        if (idempotencyWindow.compareTo(MIN_IDEMPOTENCY_WINDOW) < 0
                || idempotencyWindow.compareTo(MAX_IDEMPOTENCY_WINDOW) > 0) {
            throw new IllegalArgumentException("idempotency window must be from 5 minutes to 7 days, was "
                    + idempotencyWindow);
        }
    }

    /** Settings without CORS origins, with the {@link #DEFAULT_IDEMPOTENCY_WINDOW default idempotency window}. */
    public ApiSettings(int port, String bindAddress, String apiKey, boolean openRegistration, int maxRequestBytes,
                       int maxPayloadBytes, Duration defaultTtl, Duration maxTtl, ApiLimits limits) {
        this(port, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes, defaultTtl, maxTtl, limits,
                List.of(), DEFAULT_IDEMPOTENCY_WINDOW);
    }

    /** Settings with the default {@link ApiLimits}. */
    public ApiSettings(int port, String bindAddress, String apiKey, boolean openRegistration, int maxRequestBytes,
                       int maxPayloadBytes, Duration defaultTtl, Duration maxTtl) {
        this(port, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes, defaultTtl, maxTtl,
                ApiLimits.DEFAULTS);
    }

    /** Every default, with the given API key. */
    public static ApiSettings of(String apiKey) {
        return new ApiSettings(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, apiKey, DEFAULT_OPEN_REGISTRATION,
                DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_TTL, DEFAULT_MAX_TTL);
    }

    public ApiSettings withPort(int newPort) {
        return new ApiSettings(newPort, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes,
                defaultTtl, maxTtl, limits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withBindAddress(String newBindAddress) {
        return new ApiSettings(port, newBindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes,
                defaultTtl, maxTtl, limits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withOpenRegistration(boolean open) {
        return new ApiSettings(port, bindAddress, apiKey, open, maxRequestBytes, maxPayloadBytes, defaultTtl,
                maxTtl, limits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withMaxRequestBytes(int bytes) {
        return new ApiSettings(port, bindAddress, apiKey, openRegistration, bytes, maxPayloadBytes, defaultTtl,
                maxTtl, limits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withMaxPayloadBytes(int bytes) {
        return new ApiSettings(port, bindAddress, apiKey, openRegistration, maxRequestBytes, bytes, defaultTtl,
                maxTtl, limits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withTtls(Duration newDefaultTtl, Duration newMaxTtl) {
        return new ApiSettings(port, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes,
                newDefaultTtl, newMaxTtl, limits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withLimits(ApiLimits newLimits) {
        return new ApiSettings(port, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes,
                defaultTtl, maxTtl, newLimits, corsOrigins, idempotencyWindow);
    }

    public ApiSettings withCorsOrigins(List<String> origins) {
        return new ApiSettings(port, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes,
                defaultTtl, maxTtl, limits, origins, idempotencyWindow);
    }

    /**
     * Checks web origins as {@link #corsOrigins()} takes them, and returns them normalised (lower case, no repeats).
     *
     * @throws IllegalArgumentException naming the first one that is not {@code scheme://host[:port]} nor {@code *}
     */
    public static List<String> checkCorsOrigins(List<String> origins) {
        return DeviceCors.checkOrigins(origins);
    }

    public ApiSettings withIdempotencyWindow(Duration window) {
        return new ApiSettings(port, bindAddress, apiKey, openRegistration, maxRequestBytes, maxPayloadBytes,
                defaultTtl, maxTtl, limits, corsOrigins, window);
    }

    /** Leaves the API key out: settings get logged at startup. */
    @Override
    public String toString() {
        return "ApiSettings[port=" + port + ", bindAddress=" + bindAddress + ", apiKey=***, openRegistration="
                + openRegistration + ", maxRequestBytes=" + maxRequestBytes + ", maxPayloadBytes="
                + maxPayloadBytes + ", defaultTtl=" + defaultTtl + ", maxTtl=" + maxTtl + ", limits=" + limits + ", corsOrigins=" + corsOrigins
                + ", idempotencyWindow=" + idempotencyWindow + "]";
    }
}
