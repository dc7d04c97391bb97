package io.herald.server.cluster;

import io.herald.cluster.discovery.DiscoverySettings;
import io.herald.cluster.discovery.ZooKeeperClientProperties;
import io.herald.cluster.redis.RedisSettings;
import io.herald.server.cli.Secrets;
import io.herald.server.cli.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the cluster's shared services are, and its shared secret: the options every cluster role takes. */
public final class ClusterOptions {
    /** Long enough that guessing it is hopeless; it signs the gateway link handshake. */
    public static final int MIN_SECRET_LENGTH = 16;
    /**
     * Splits a {@code --config} file's single value into several KEY=VALUE pairs at commas that start a new key, so
     * that a value may itself be a comma-separated list ({@code ssl.enabled.protocols=TLSv1.2,TLSv1.3}).
     */
    static final String PROPERTY_SPLIT = ",(?=[A-Za-z0-9._-]+=)";

    @Option(names = "--zookeeper", defaultValue = "127.0.0.1:2181",
            description = "ZooKeeper ensemble, host:port[,host:port...] (default: ${DEFAULT-VALUE}).")
    String zookeeper;

    @Option(names = "--zookeeper-path", defaultValue = DiscoverySettings.DEFAULT_BASE_PATH,
            description = "ZooKeeper path under which gateways register (default: ${DEFAULT-VALUE}).")
    String zookeeperPath;

    @Option(names = "--zookeeper-session-timeout", defaultValue = "10s",
            description = "A gateway silent this long leaves routing (default: ${DEFAULT-VALUE}).")
    Duration zookeeperSessionTimeout;

    @Option(names = "--zookeeper-property", paramLabel = "KEY=VALUE", split = PROPERTY_SPLIT,
            splitSynopsisLabel = ",",
            description = "A ZooKeeper client setting (zookeeper.*), e.g. TLS: zookeeper.client.secure=true,"
                    + " zookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty,"
                    + " zookeeper.ssl.trustStore.location=FILE; repeatable.")
    Map<String, String> zookeeperProperties = new LinkedHashMap<>();

    @Option(names = "--redis", defaultValue = RedisSettings.DEFAULT_URI,
            description = "Redis URI for tokens and sessions (default: ${DEFAULT-VALUE}).")
    String redis;

    @Option(names = "--redis-key-prefix", defaultValue = RedisSettings.DEFAULT_KEY_PREFIX,
            description = "Prefix of every Redis key Herald writes (default: ${DEFAULT-VALUE}).")
    String redisKeyPrefix;

    @Option(names = "--redis-tls-trust", paramLabel = "FILE",
            description = "PEM certificates (CAs, or the server's own) to trust for a rediss:// --redis instead of"
                    + " the JVM's; the server's certificate must name the host of --redis.")
    Path redisTlsTrust;

    @Option(names = "--cluster-secret",
            description = "Shared secret of the internal API-gateway links, at least " + MIN_SECRET_LENGTH
                    + " characters; better in HERALD_CLUSTER_SECRET or --cluster-secret-file than in the process"
                    + " list.")
    String clusterSecret;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "Read the cluster secret from this file instead.")
    Path clusterSecretFile;

    public DiscoverySettings discovery() {
        return Setting.of("--zookeeper/--zookeeper-path/--zookeeper-session-timeout", () -> {
            DiscoverySettings defaults = DiscoverySettings.of(zookeeper).withBasePath(zookeeperPath);
            // The connection timeout may not exceed the session timeout; a short session timeout (tests) takes it down.
            Duration connection = defaults.connectionTimeout().compareTo(zookeeperSessionTimeout) > 0
                    ? zookeeperSessionTimeout : defaults.connectionTimeout();
            return defaults.withConnectionTimeout(connection).withSessionTimeout(zookeeperSessionTimeout);
        }).withClientProperties(Setting.of("--zookeeper-property",
                () -> new ZooKeeperClientProperties(zookeeperProperties)));
    }

    public RedisSettings redis() {
        RedisSettings settings = Setting.of("--redis/--redis-key-prefix",
                () -> RedisSettings.of(redis).withKeyPrefix(redisKeyPrefix));
        return Setting.of("--redis-tls-trust", () -> settings.withTlsTrust(redisTlsTrust));
    }

    /** The cluster secret; refuses a missing or short one. */
    public String clusterSecret() {
        String secret = Secrets.read(clusterSecret, clusterSecretFile, "--cluster-secret");
        if (secret == null) {
            throw new IllegalArgumentException("--cluster-secret (or --cluster-secret-file, or HERALD_CLUSTER_SECRET)"
                    + " is required: API nodes and gateways authenticate each other with it");
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("--cluster-secret must be at least " + MIN_SECRET_LENGTH
                    + " characters, was " + secret.length());
        }
        return secret;
    }
}
