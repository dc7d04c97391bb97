package io.herald.server.cli;

import io.herald.core.tls.PemFiles;
import io.herald.core.tls.TlsKeyMaterial;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain and its key given as two PEM file options ({@code --tls-cert}/{@code --tls-key},
 * {@code --link-tls-cert}/{@code --link-tls-key}, ...): both or neither, each file readable and of the right kind,
 * the key the certificate's, the certificate valid now. Every refusal names the option to fix.
 */
public final class CertificateKeyFiles {
    private CertificateKeyFiles() {
    }

    /**
     * @return the key material, or null when neither file is given
     * @throws IllegalArgumentException naming the option whose file is refused, or the one missing
     */
    public static TlsKeyMaterial read(String certificateOption, Path certificateFile, String keyOption, Path keyFile) {
        if (certificateFile == null && keyFile == null) {
            return null;
        }
        if (certificateFile == null || keyFile == null) {
            throw new IllegalArgumentException(certificateOption + " and " + keyOption + " go together: "
                    + (certificateFile == null ? certificateOption : keyOption) + " is missing");
        }
        List<X509Certificate> chain = Setting.of(certificateOption,
                () -> current(certificateFile, PemFiles.readCertificates(certificateFile)));
        PrivateKey key = Setting.of(keyOption,
                () -> PemFiles.readPrivateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm()));
        return Setting.of(keyOption, () -> new TlsKeyMaterial(key, chain));
    }

    /** An expired certificate would fail every handshake: better refused at start with the date. */
    private static List<X509Certificate> current(Path file, List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IllegalArgumentException(file + ": the certificate "
                    + leaf.getSubjectX500Principal().getName() + " is valid only from "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant(), e);
        }
        return chain;
    }
}
