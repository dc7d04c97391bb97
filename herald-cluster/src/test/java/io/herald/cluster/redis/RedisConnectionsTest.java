package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisConnectionsTest {

    @BeforeAll
    static void quietLogs() {
        TestLogging.quietClientLibraries();
    }

    @Test
    void openingFailsAtOnceWhenRedisIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RedisSettings settings = RedisSettings.of("redis://127.0.0.1:" + closedPort + "/0");

        long start = System.nanoTime();
        assertThatThrownBy(() -> RedisConnections.open(settings)).isInstanceOf(RedisConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void sharesOneConnectionAndClosesCleanly() throws IOException {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            RedisConnections connections = RedisConnections.open(RedisSettings.of(server.uri()));

            assertThat(connections.sync().ping()).isEqualTo("PONG");
            assertThat(connections.batchConnection()).isSameAs(connections.batchConnection());
            assertThat(connections.keys().session("device-1")).isEqualTo("herald:session:device-1");

            connections.close();
            connections.close();
            assertThatThrownBy(connections::batchConnection)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }
}
