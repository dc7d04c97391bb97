package io.herald.it;

import io.herald.api.ApiSettings;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.gateway.GatewaySettings;
import io.herald.server.cluster.ArchiverNode;
import io.herald.server.cluster.ClusterApiNode;
import io.herald.server.cluster.ClusterGatewayNode;
import io.herald.store.jdbc.JdbcSettings;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Settings of the cluster roles as the tests run them: loopback, free ports everywhere, small pools and thread
 * counts (five nodes share a two-core machine and one database server), QoS 1 resends after 2 s.
 */
final class NodeSettings {
    static final String API_KEY = "it-api-key-0123456789";
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);
    /** Every node opens a pool: five nodes of ten connections each would crowd PostgreSQL's 100. */
    private static final int POOL_SIZE = 4;

    private NodeSettings() {
    }

    static JdbcSettings smallPool(JdbcSettings jdbc) {
        return new JdbcSettings(jdbc.jdbcUrl(), jdbc.username(), jdbc.password(), POOL_SIZE);
    }

    /** A gateway with its health and metrics listener on a free port (read by the broadcast test). */
    static ClusterGatewayNode.Settings gateway(String id, ClusterServices services, JdbcSettings jdbc) {
        return gateway(id, services, jdbc, 0);
    }

    /** @param opsPort 0: health and metrics on a free port; -1: none */
    static ClusterGatewayNode.Settings gateway(String id, ClusterServices services, JdbcSettings jdbc, int opsPort) {
        return gateway(id, services, jdbc, opsPort, UnaryOperator.identity());
    }

    /** @param tuning changes to the gateway's settings (MQTT on, ...) */
    static ClusterGatewayNode.Settings gateway(String id, ClusterServices services, JdbcSettings jdbc, int opsPort,
                                               UnaryOperator<GatewaySettings> tuning) {
        GatewaySettings gateway = tuning.apply(GatewaySettings.defaults(id)
                .withPorts("127.0.0.1", 0, 0)
                .withTimings(Duration.ofSeconds(5), GatewaySettings.DEFAULT_HEARTBEAT_INTERVAL, RETRY_INTERVAL)
                .withThreads(2, 2));
        return new ClusterGatewayNode.Settings(gateway, "127.0.0.1", 0, opsPort, 1, services.discovery(),
                services.redis(), ClusterServices.CLUSTER_SECRET, services.kafka(), smallPool(jdbc), Map.of());
    }

    static ClusterApiNode.Settings api(int nodeNumber, String routing, ClusterServices services, JdbcSettings jdbc) {
        ApiSettings api = ApiSettings.of(API_KEY).withPort(0).withBindAddress("127.0.0.1");
        return new ClusterApiNode.Settings(api, nodeNumber, routing, Duration.ofSeconds(5), Duration.ofHours(1),
                1000, services.discovery(), services.redis(), ClusterServices.CLUSTER_SECRET, smallPool(jdbc));
    }

    static ArchiverNode.Settings archiver(KafkaSettings kafka, JdbcSettings jdbc) {
        return new ArchiverNode.Settings(kafka, smallPool(jdbc), "127.0.0.1", -1);
    }
}
