package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.gateway.tls.TicketSecretFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a standalone node's TLS session tickets survive its restart (their keys derive from a secret in the data
 * directory), so a device that comes back to the restarted node resumes its TLS session: no certificate signature,
 * no full handshake. Before, the keys were made in memory and every device paid a full handshake after a restart.
 */
class TlsResumptionAcrossRestartTest {
    @TempDir
    Path dir;

    @Test
    void theSdkResumesItsTlsSessionOnTheRestartedNode() throws Exception {
        TestPki pki = new TestPki(dir);
        TestPki.Setup tls = pki.setup(pki.server("localhost", "localhost", "127.0.0.1"), "localhost", null);
        Path dataDir = dir.resolve("data");
        int httpPort = freePort();
        int tcpPort = freePort();
        RecordingListener listener = new RecordingListener();
        try (ClientResources resources = ClientResources.create()) {
            HeraldClient client;
            try (StandaloneFixture first = StandaloneFixture.onPorts(dataDir, httpPort, tcpPort, tls)) {
                client = HeraldClient.create(resources, HeraldClientOptions.builder()
                        .apiUrl(first.apiUrl()).clientId("resumes").secret(StandaloneFixture.SECRET)
                        .registerIfMissing(true).tlsTrust(tls.trustFile()).build(), listener);
                client.start().get(10, TimeUnit.SECONDS);
                assertThat(handshakes(first, "false")).as("the first connection: a full handshake").isEqualTo(1);
            }
            try (StandaloneFixture second = StandaloneFixture.onPorts(dataDir, httpPort, tcpPort, tls)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> listener.connects.get() == 2);
                assertThat(handshakes(second, "true")).as("resumed handshakes on the restarted node").isEqualTo(1);
                assertThat(handshakes(second, "false")).as("full handshakes on the restarted node").isZero();
            } finally {
                client.close();
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.resolve(TicketSecretFile.FILE_NAME)))).isEqualTo("rw-------");
    }

    /** {@code herald_tls_handshakes_total} of device connections that resumed ("true") or not ("false"). */
    private static double handshakes(StandaloneFixture herald, String resumed) throws Exception {
        return herald.get("/metrics").body().lines()
                .filter(line -> line.startsWith("herald_tls_handshakes_total{")
                        && line.contains("resumed=\"" + resumed + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
