package io.herald.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** The certificates of a PEM file a client is told to trust, read (and checked) when its options are built. */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /** @throws IllegalArgumentException naming {@code tlsTrust} and the file when it is missing or holds none */
    public static List<X509Certificate> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tlsTrust " + file + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("tlsTrust " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalArgumentException("tlsTrust " + file + " cannot be read: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tlsTrust " + file + " holds no valid PEM certificate: "
                    + e.getMessage(), e);
        }
    }
}
