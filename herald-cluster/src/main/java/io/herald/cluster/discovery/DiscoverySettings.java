package io.herald.cluster.discovery;

import io.herald.core.time.Durations;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.utils.PathUtils;

/**
 * How a node reaches ZooKeeper and where gateways register. Start from {@link #of(String)} (all defaults) and
 * adjust with the {@code with*} methods; the canonical constructor validates every value and says what is wrong.
 *
 * @param connectString     ZooKeeper ensemble, e.g. {@code zk1:2181,zk2:2181,zk3:2181}
 * @param basePath          parent znode of the gateway nodes, absolute, e.g. {@value #DEFAULT_BASE_PATH}
 * @param sessionTimeout    how long ZooKeeper keeps a silent client's session (and so its gateway node) alive;
 *                          the server clamps it to 2-20 times its tick time
 * @param connectionTimeout how long one connection attempt may take; at most the session timeout
 * @param refreshInterval   how often a registered gateway publishes its connection count
 * @param clientProperties  ZooKeeper client settings passed through (TLS), see {@link ZooKeeperClientProperties}
 */
public record DiscoverySettings(String connectString, String basePath, Duration sessionTimeout,
                                Duration connectionTimeout, Duration refreshInterval,
                                ZooKeeperClientProperties clientProperties) {

    public static final String DEFAULT_BASE_PATH = "/herald/gateways";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    public DiscoverySettings {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("ZooKeeper connect string is required, e.g. zk1:2181,zk2:2181");
        }
        validateBasePath(basePath);
        requirePositive(sessionTimeout, "session timeout");
        requirePositive(connectionTimeout, "connection timeout");
        requirePositive(refreshInterval, "refresh interval");
        Objects.requireNonNull(clientProperties, "clientProperties");
        if (connectionTimeout.compareTo(sessionTimeout) > 0) {
            throw new IllegalArgumentException("connection timeout (" + Durations.format(connectionTimeout)
                    + ") must not exceed the session timeout (" + Durations.format(sessionTimeout) + ")");
        }
    }

    /** Every default, with the given ensemble. */
    public static DiscoverySettings of(String connectString) {
        return new DiscoverySettings(connectString, DEFAULT_BASE_PATH, DEFAULT_SESSION_TIMEOUT,
                DEFAULT_CONNECTION_TIMEOUT, DEFAULT_REFRESH_INTERVAL, ZooKeeperClientProperties.NONE);
    }

    public DiscoverySettings withBasePath(String newBasePath) {
        return new DiscoverySettings(connectString, newBasePath, sessionTimeout, connectionTimeout, refreshInterval,
                clientProperties);
    }

    public DiscoverySettings withSessionTimeout(Duration newSessionTimeout) {
        return new DiscoverySettings(connectString, basePath, newSessionTimeout, connectionTimeout, refreshInterval,
                clientProperties);
    }

    public DiscoverySettings withConnectionTimeout(Duration newConnectionTimeout) {
        return new DiscoverySettings(connectString, basePath, sessionTimeout, newConnectionTimeout, refreshInterval,
                clientProperties);
    }

    public DiscoverySettings withClientProperties(ZooKeeperClientProperties properties) {
        return new DiscoverySettings(connectString, basePath, sessionTimeout, connectionTimeout, refreshInterval,
                properties);
    }

    public DiscoverySettings withRefreshInterval(Duration newRefreshInterval) {
        return new DiscoverySettings(connectString, basePath, sessionTimeout, connectionTimeout, newRefreshInterval,
                clientProperties);
    }

    /** The znode of one gateway: {@code <basePath>/<id>}. */
    public String gatewayPath(String gatewayId) {
        return basePath + "/" + gatewayId;
    }

    private static void validateBasePath(String basePath) {
        if (basePath == null || basePath.equals("/") || basePath.endsWith("/")) {
            throw new IllegalArgumentException("base path must be an absolute znode path below the root without a"
                    + " trailing slash, e.g. " + DEFAULT_BASE_PATH + ", was " + basePath);
        }
        try {
            PathUtils.validatePath(basePath);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("base path " + basePath + " is not a valid znode path: "
                    + e.getMessage(), e);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + Durations.format(value));
        }
        if (value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is too long, was " + Durations.format(value));
        }
    }
}
