package io.herald.server.cluster;

import static io.herald.server.cluster.RoleCommandLines.API;
import static io.herald.server.cluster.RoleCommandLines.GATEWAY;
import static io.herald.server.cluster.RoleCommandLines.parse;
import static io.herald.server.cluster.RoleCommandLines.refusal;
import static io.herald.server.cluster.RoleCommandLines.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS options ({@code --tls-cert}, {@code --tls-key}, {@code --tls-self-signed}, {@code --tls-trust}). */
class TlsOptionsTest {

    @TempDir
    Path dir;
    private TestPki.Server server;
    private TestPki.Server other;

    @BeforeEach
    void makeCertificates() {
        TestPki pki = new TestPki(dir);
        server = pki.server("server", "localhost", "127.0.0.1");
        other = pki.server("other", "localhost");
    }

    @Test
    void theGatewayAndApiRolesTakeACertificateAndKey() throws Exception {
        GatewayCommand gateway = parse(with(GATEWAY, "--tls-cert", cert(server), "--tls-key", key(server)));
        ApiCommand api = parse(with(API, "--tls-cert", cert(server), "--tls-key", key(server)));

        assertThat(gateway.settings().tls().certificate()).isEqualTo(server.material().certificate());
        assertThat(api.settings().tls().certificateChain()).hasSize(2);
        assertThat(((GatewayCommand) parse(GATEWAY)).settings().tls()).isNull();
    }

    @Test
    void aMissingFileIsRefusedNamingTheOption() {
        assertThat(refusal("standalone", "--data-dir", dir.toString(), "--tls-cert", dir.resolve("nope.pem").toString(),
                "--tls-key", key(server)))
                .contains("--tls-cert").contains("nope.pem does not exist");
        assertThat(refusal(with(GATEWAY, "--tls-cert", cert(server), "--tls-key", dir.resolve("gone.pem").toString())))
                .contains("--tls-key").contains("gone.pem does not exist");
    }

    @Test
    void aCertificateWithoutItsKeyOrTheOtherWayRoundIsRefused() {
        assertThat(refusal(with(API, "--tls-cert", cert(server)))).contains("--tls-key is missing");
        assertThat(refusal(with(GATEWAY, "--tls-key", key(server)))).contains("--tls-cert is missing");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() {
        assertThat(refusal("standalone", "--data-dir", dir.toString(), "--tls-cert", cert(server),
                "--tls-key", key(other)))
                .contains("--tls-key: the private key does not belong to the certificate CN=localhost");
    }

    @Test
    void filesOfTheWrongKindAreRefusedWithWhatToDo() throws Exception {
        assertThat(refusal(with(API, "--tls-cert", key(server), "--tls-key", key(server))))
                .contains("--tls-cert").contains("holds no PEM certificate");
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\n"
                + "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n");
        assertThat(refusal(with(API, "--tls-cert", cert(server), "--tls-key", pkcs1.toString())))
                .contains("--tls-key").contains("not a PKCS#8 PRIVATE KEY").contains("openssl pkcs8 -topk8");
    }

    @Test
    void selfSignedAndGivenFilesAreRefusedTogether() {
        assertThat(refusal(with(GATEWAY, "--tls-self-signed", "--tls-cert", cert(server), "--tls-key", key(server))))
                .contains("--tls-self-signed").contains("not both");
    }

    @Test
    void theClientRefusesATrustFileThatIsNotThere() {
        assertThat(refusal("client", "--client-id", "c1", "--secret", "s3cret-s3cret", "--tls-trust",
                dir.resolve("missing-ca.pem").toString()))
                .contains("--tls-trust").contains("missing-ca.pem does not exist");
    }

    private static String cert(TestPki.Server server) {
        return server.chainFile().toString();
    }

    private static String key(TestPki.Server server) {
        return server.keyFile().toString();
    }
}
