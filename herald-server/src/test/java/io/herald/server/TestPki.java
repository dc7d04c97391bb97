package io.herald.server;

import io.herald.client.internal.ClientTls;
import io.herald.core.tls.PemFiles;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.core.tls.CertificateIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A private CA and the server certificates it signs, written as the PEM files an operator hands Herald
 * ({@code --tls-cert}, {@code --tls-key}) and its clients ({@code --tls-trust}). Clients check certificates for
 * real: they trust this CA and nothing else.
 */
public final class TestPki {
    private static final Duration VALIDITY = Duration.ofDays(2);

    /** A node's TLS in a {@link StandaloneFixture}: what it serves, what its clients trust, which names they use. */
    public record Setup(TlsKeyMaterial served, Path trustFile, String apiHost, String publicHost) {
        /** For the fixture's own HTTP client (push, admin calls). */
        SSLContext clientContext() {
            try {
                return new ClientTls(PemFiles.readCertificates(trustFile), true).jdkContext();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A server certificate's files. */
    public record Server(Path chainFile, Path keyFile, TlsKeyMaterial material) {
    }

    private final Path dir;
    private final CertificateIssuer.Issued ca;
    public final Path caFile;

    public TestPki(Path dir) {
        this.dir = dir;
        this.ca = CertificateIssuer.certificateAuthority("Herald Test CA", VALIDITY);
        this.caFile = write("ca.pem", pem(ca.certificate()));
    }

    /** A certificate for {@code hosts} (DNS names, IP addresses) signed by this CA; the chain file ends with the CA. */
    public Server server(String name, String... hosts) {
        CertificateIssuer.Issued issued = CertificateIssuer.signedBy(ca, List.of(hosts), VALIDITY);
        Path chain = write(name + "-chain.pem", pem(issued.certificate()) + pem(ca.certificate()));
        Path key = write(name + "-key.pem", PemFiles.encodePrivateKey(issued.privateKey()));
        return new Server(chain, key, new TlsKeyMaterial(issued.privateKey(),
                List.of(issued.certificate(), ca.certificate())));
    }

    /** A TLS setup whose clients reach the API as {@code apiHost} and trust this CA. */
    public Setup setup(Server server, String apiHost, String publicHost) {
        return new Setup(server.material(), caFile, apiHost, publicHost);
    }

    public Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pem(X509Certificate certificate) {
        return PemFiles.encodeCertificates(List.of(certificate));
    }
}
