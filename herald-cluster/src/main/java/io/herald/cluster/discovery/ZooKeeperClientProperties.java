package io.herald.cluster.discovery;

import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * ZooKeeper client settings passed through to the client's {@link ZKClientConfig}, above all TLS:
 * {@code zookeeper.client.secure=true}, {@code zookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty},
 * {@code zookeeper.ssl.trustStore.location=...}. Set per client rather than as JVM system properties, so that they
 * reach only Herald's ZooKeeper connection. ZooKeeper publishes no list of its client settings, so a key is checked
 * only for the {@code zookeeper.} prefix they all share.
 */
public record ZooKeeperClientProperties(Map<String, String> values) {
    public static final ZooKeeperClientProperties NONE = new ZooKeeperClientProperties(Map.of());
    private static final String PREFIX = "zookeeper.";
    private static final String NETTY_SOCKET = "org.apache.zookeeper.ClientCnxnSocketNetty";

    public ZooKeeperClientProperties {
        values = Map.copyOf(values);
        for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
            if (!entry.getKey().startsWith(PREFIX)) {
                throw new IllegalArgumentException("zookeeper property " + entry.getKey() + " is not a ZooKeeper"
                        + " client setting (they start with " + PREFIX + ")");
            }
            if (entry.getValue() == null || entry.getValue().isBlank()) {
                throw new IllegalArgumentException("zookeeper property " + entry.getKey() + " has no value");
            }
        }
        // Only the Netty socket speaks TLS; the default NIO one would send plain text to a TLS port and hang.
        if ("true".equalsIgnoreCase(values.get(ZKClientConfig.SECURE_CLIENT))
                && !NETTY_SOCKET.equals(values.get(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET))) {
            throw new IllegalArgumentException("zookeeper property " + ZKClientConfig.SECURE_CLIENT + "=true needs "
                    + ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET + "=" + NETTY_SOCKET);
        }
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** A client config with these settings over ZooKeeper's defaults (and any zookeeper.* system properties). */
    public ZKClientConfig toClientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        values.forEach(config::setProperty);
        return config;
    }

    /** Values may be passwords ({@code zookeeper.ssl.trustStore.password}): only the keys are printed. */
    @Override
    public String toString() {
        return "ZooKeeperClientProperties" + new TreeMap<>(values).keySet();
    }
}
