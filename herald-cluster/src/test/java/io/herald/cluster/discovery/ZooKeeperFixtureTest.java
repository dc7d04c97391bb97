package io.herald.cluster.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * Another process can take the port probed for the embedded ZooKeeper before it binds. The server then asks the JVM to
 * exit, which in CI killed the whole herald-it test fork; the fixture must survive that and use another port.
 */
class ZooKeeperFixtureTest {

    @Test
    void aTakenPortIsRetriedOnAnotherAndTheJvmLives() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger attempts = new AtomicInteger();
            int[] ports = {taken.getLocalPort(), -1};
            try (ZooKeeperFixture fixture = new ZooKeeperFixture(() -> ports[Math.min(attempts.getAndIncrement(), 1)])) {
                assertThat(attempts).hasValue(2);
                assertThat(fixture.server.getPort()).isNotEqualTo(taken.getLocalPort());
                CuratorFramework client = fixture.startClient();
                client.create().forPath("/alive", new byte[] {1});
                assertThat(client.getData().forPath("/alive")).containsExactly(1);
            }
        }
    }
}
