package io.herald.cluster.link;

import io.herald.core.time.Durations;
import io.herald.cluster.link.tls.LinkTls;
import java.time.Duration;
import java.util.Objects;

/**
 * How the internal API → gateway links behave; both ends read the same settings. Validated once at start-up.
 *
 * @param secret          the shared cluster secret both ends authenticate with
 * @param requestTimeout  how long a request may take, waiting for a connection attempt under way included, before
 *                        its future fails with a {@link LinkTimeoutException}
 * @param authTimeout     how long the handshake may take: a gateway closes a connection that has not authenticated
 *                        by then, an API node gives up on it
 * @param connectTimeout  how long a TCP connect to a gateway may take
 * @param reconnectMin    the pause before the first reconnect after a link drops; doubled per failed attempt
 * @param reconnectMax    the longest pause between reconnect attempts
 * @param maxFrameLength  the largest frame either end sends or accepts, length field included; a push to 100,000
 *                        client ids of up to 128 characters needs about 13 MiB
 * @param tls             TLS on the link: what the gateway serves, what the API node trusts; {@link LinkTls#OFF} for
 *                        plain TCP
 */
public record LinkSettings(ClusterSecret secret, Duration requestTimeout, Duration authTimeout,
                           Duration connectTimeout, Duration reconnectMin, Duration reconnectMax, int maxFrameLength,
                           LinkTls tls) {
    /** Covers a gateway storing a large batch for devices that just went offline. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;
    /** Big enough for the handshake and an error frame. */
    public static final int MIN_MAX_FRAME_LENGTH = 64 * 1024;

    public LinkSettings {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(tls, "tls");
        requirePositive("request timeout", requestTimeout);
        requirePositive("auth timeout", authTimeout);
        requirePositive("connect timeout", connectTimeout);
        requirePositive("minimum reconnect delay", reconnectMin);
        requirePositive("maximum reconnect delay", reconnectMax);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("link maximum reconnect delay " + Durations.format(reconnectMax)
                    + " is below the minimum " + Durations.format(reconnectMin));
        }
        if (maxFrameLength < MIN_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("link max frame length must be at least " + MIN_MAX_FRAME_LENGTH
                    + " bytes, was " + maxFrameLength);
        }
    }

    /** Every default, with this secret; see {@link ClusterSecret#of(String)} for what it must be. */
    public static LinkSettings of(String secret) {
        return new LinkSettings(ClusterSecret.of(secret), DEFAULT_REQUEST_TIMEOUT, DEFAULT_AUTH_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX, DEFAULT_MAX_FRAME_LENGTH,
                LinkTls.OFF);
    }

    public LinkSettings withRequestTimeout(Duration timeout) {
        return new LinkSettings(secret, timeout, authTimeout, connectTimeout, reconnectMin, reconnectMax,
                maxFrameLength, tls);
    }

    public LinkSettings withAuthTimeout(Duration timeout) {
        return new LinkSettings(secret, requestTimeout, timeout, connectTimeout, reconnectMin, reconnectMax,
                maxFrameLength, tls);
    }

    public LinkSettings withReconnectDelays(Duration min, Duration max) {
        return new LinkSettings(secret, requestTimeout, authTimeout, connectTimeout, min, max, maxFrameLength,
                tls);
    }

    public LinkSettings withMaxFrameLength(int length) {
        return new LinkSettings(secret, requestTimeout, authTimeout, connectTimeout, reconnectMin, reconnectMax,
                length, tls);
    }

    public LinkSettings withTls(LinkTls newTls) {
        return new LinkSettings(secret, requestTimeout, authTimeout, connectTimeout, reconnectMin, reconnectMax,
                maxFrameLength, newTls);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("link " + name + " must be above 0, was " + Durations.format(value));
        }
    }
}
