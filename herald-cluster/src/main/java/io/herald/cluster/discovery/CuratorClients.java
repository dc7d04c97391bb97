package io.herald.cluster.discovery;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds the ZooKeeper client discovery runs on. */
public final class CuratorClients {
    /** First retry after about this long, doubling (with jitter) on each further retry. */
    public static final int RETRY_BASE_SLEEP_MS = 250;
    /**
     * Few retries, short sleeps: an operation gives up within seconds during an outage. Nothing is lost by that:
     * the registration re-creates its node and the directory rebuilds its view when the connection comes back.
     */
    public static final int RETRY_MAX_RETRIES = 5;
    public static final int RETRY_MAX_SLEEP_MS = 2_000;

    private CuratorClients() {
    }

    /** A client for the given settings, not started yet: the caller starts it and closes it. */
    public static CuratorFramework newClient(DiscoverySettings settings) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(RETRY_BASE_SLEEP_MS, RETRY_MAX_RETRIES, RETRY_MAX_SLEEP_MS));
        if (!settings.clientProperties().isEmpty()) {
            builder.zkClientConfig(settings.clientProperties().toClientConfig());
        }
        return builder.build();
    }
}
