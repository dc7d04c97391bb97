package io.herald.cluster.testing;

import io.herald.core.tls.CertificateIssuer;
import io.herald.core.tls.PemFiles;
import io.herald.core.tls.TlsKeyMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * A private CA made for one test and the certificates it signs, so that TLS is checked for real: a client trusts
 * this CA and nothing else. In memory for the link's own API, as PEM files for what takes files (redis-server,
 * the role options).
 */
public final class TestCertificates {
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final CertificateIssuer.Issued ca;

    public TestCertificates(String caName) {
        this.ca = CertificateIssuer.certificateAuthority(caName, VALIDITY);
    }

    /** What a client of this CA trusts. */
    public List<X509Certificate> trust() {
        return List.of(ca.certificate());
    }

    /** A certificate for {@code hosts} (DNS names, IP addresses) signed by this CA, chain ending with the CA. */
    public TlsKeyMaterial issue(String... hosts) {
        CertificateIssuer.Issued issued = CertificateIssuer.signedBy(ca, List.of(hosts), VALIDITY);
        return new TlsKeyMaterial(issued.privateKey(), List.of(issued.certificate(), ca.certificate()));
    }

    /** The CA certificate as a PEM file in {@code dir}. */
    public Path writeTrust(Path dir) {
        return write(dir.resolve("ca.pem"), PemFiles.encodeCertificates(trust()));
    }

    /** {@code material} as {@code NAME-chain.pem} and {@code NAME-key.pem} in {@code dir}: [chain, key]. */
    public static Path[] write(Path dir, String name, TlsKeyMaterial material) {
        return new Path[] {
            write(dir.resolve(name + "-chain.pem"), PemFiles.encodeCertificates(material.certificateChain())),
            write(dir.resolve(name + "-key.pem"), PemFiles.encodePrivateKey(material.privateKey()))
        };
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
