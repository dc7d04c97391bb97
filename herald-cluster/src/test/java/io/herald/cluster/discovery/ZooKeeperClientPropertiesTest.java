package io.herald.cluster.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;

/** The ZooKeeper client settings passed through (TLS); a real TLS ensemble is not started (see docs). */
class ZooKeeperClientPropertiesTest {
    private static final String NETTY = "org.apache.zookeeper.ClientCnxnSocketNetty";

    @Test
    void theSettingsReachTheClientConfig() {
        ZooKeeperClientProperties tls = new ZooKeeperClientProperties(Map.of("zookeeper.client.secure", "true",
                "zookeeper.clientCnxnSocket", NETTY, "zookeeper.ssl.trustStore.location", "/etc/herald/zk-ca.pem"));

        ZKClientConfig config = tls.toClientConfig();

        assertThat(config.getBoolean(ZKClientConfig.SECURE_CLIENT)).isTrue();
        assertThat(config.getProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET)).isEqualTo(NETTY);
        assertThat(config.getProperty("zookeeper.ssl.trustStore.location")).isEqualTo("/etc/herald/zk-ca.pem");
        assertThat(DiscoverySettings.of("zk:2181").withClientProperties(tls).clientProperties()).isEqualTo(tls);
    }

    @Test
    void aKeyWithoutTheZookeeperPrefixIsRefused() {
        assertThatThrownBy(() -> new ZooKeeperClientProperties(Map.of("ssl.trustStore.location", "/x")))
                .hasMessageContaining("ssl.trustStore.location is not a ZooKeeper client setting");
    }

    @Test
    void aSecureClientWithoutTheNettySocketIsRefusedRatherThanLeftToHang() {
        assertThatThrownBy(() -> new ZooKeeperClientProperties(Map.of("zookeeper.client.secure", "true")))
                .hasMessageContaining("zookeeper.clientCnxnSocket=" + NETTY);
    }

    @Test
    void passwordsAreNotPrinted() {
        assertThat(new ZooKeeperClientProperties(Map.of("zookeeper.ssl.trustStore.password", "hunter2-secret"))
                .toString()).contains("zookeeper.ssl.trustStore.password").doesNotContain("hunter2-secret");
    }
}
