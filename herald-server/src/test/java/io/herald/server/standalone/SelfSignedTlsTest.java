package io.herald.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.HeraldListener;
import io.herald.client.Transport;
import io.herald.server.HeraldMain;
import io.herald.server.NettyLeakWatch;
import io.herald.server.tls.SelfSignedTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald standalone --tls-self-signed}: the node makes a certificate for its host names at start, keeps it
 * in the data directory, and a client that trusts that file (and checks hostnames) connects over TLS.
 */
@ExtendWith(NettyLeakWatch.class)
class SelfSignedTlsTest {

    @TempDir
    Path dataDir;

    @Test
    void aClientTrustingTheWrittenCertificateConnectsAndARestartKeepsTheCertificate() throws Exception {
        Path certificate = dataDir.resolve("tls").resolve(SelfSignedTls.CERTIFICATE_FILE);
        String firstCertificate;
        try (StandaloneNode node = StandaloneNode.start(selfSignedSettings())) {
            assertThat(certificate).exists();
            assertThat(dataDir.resolve("tls").resolve(SelfSignedTls.KEY_FILE)).exists();
            firstCertificate = Files.readString(certificate);
            assertConnects(node, certificate, Transport.TCP);
            assertConnects(node, certificate, Transport.WEBSOCKET);
        }

        try (StandaloneNode restarted = StandaloneNode.start(selfSignedSettings())) {
            assertThat(Files.readString(certificate)).as("the certificate clients already trust").isEqualTo(
                    firstCertificate);
            assertConnects(restarted, certificate, Transport.TCP);
        }
    }

    private StandaloneNode.Settings selfSignedSettings() throws Exception {
        StandaloneCommand command = HeraldMain.commandLine().parseArgs("standalone", "--tls-self-signed",
                "--data-dir", dataDir.toString(), "--bind", "127.0.0.1", "--http-port", "0", "--tcp-port", "0",
                "--ws-port", "0").subcommand().commandSpec().commandLine().getCommand();
        return command.settings("self-signed-test-key");
    }

    private static void assertConnects(StandaloneNode node, Path trust, Transport transport) throws Exception {
        try (ClientResources resources = ClientResources.builder().ioThreads(1).build();
             HeraldClient device = HeraldClient.create(resources, HeraldClientOptions.builder()
                     .apiUrl("https://127.0.0.1:" + node.httpPort()).clientId("self-signed-" + transport)
                     .secret("secret-0123456789").registerIfMissing(true).transport(transport).tlsTrust(trust)
                     .build(), new HeraldListener() { })) {
            device.start().get(15, TimeUnit.SECONDS);
            assertThat(device.isConnected()).isTrue();
        }
    }
}
