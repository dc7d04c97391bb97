package io.herald.core.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a TLS listener presents: its certificate chain (leaf first) and the leaf's private key. Built only when the
 * key belongs to the leaf certificate, so a mismatch is refused at start-up instead of failing every handshake.
 * One value serves the gateway's device listeners and the HTTPS API alike.
 */
public record TlsKeyMaterial(PrivateKey privateKey, List<X509Certificate> certificateChain) {

    public TlsKeyMaterial {
        Objects.requireNonNull(privateKey, "privateKey");
        certificateChain = List.copyOf(certificateChain);
        if (certificateChain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
        if (!belongTogether(privateKey, certificateChain.get(0))) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + certificateChain.get(0).getSubjectX500Principal().getName());
        }
    }

    /**
     * Reads a PEM chain and a PEM PKCS#8 key. Errors name neither option: callers load each file on its own when
     * they need to say which one was wrong.
     */
    public static TlsKeyMaterial fromPem(Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateChain);
        return new TlsKeyMaterial(PemFiles.readPrivateKey(privateKey, chain.get(0).getPublicKey().getAlgorithm()),
                chain);
    }

    /** The leaf: the certificate whose names clients check. */
    public X509Certificate certificate() {
        return certificateChain.get(0);
    }

    public X509Certificate[] chainArray() {
        return certificateChain.toArray(X509Certificate[]::new);
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "TlsKeyMaterial[" + certificate().getSubjectX500Principal().getName() + ", valid until "
                + certificate().getNotAfter().toInstant() + ", chain of " + certificateChain.size() + "]";
    }

    /** Signs a probe with the key and verifies it with the certificate: works for every key type alike. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            return true; // an exotic key type: the first handshake will tell
        }
        byte[] probe = "herald key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> keyAlgorithm;
            default -> null;
        };
    }
}
