package io.herald.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the PEM files of TLS: a certificate chain (leaf first, as web servers expect) and an unencrypted
 * PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} writes). A refusal says
 * what is wrong with the file in words an operator can act on; the caller adds which option named the file.
 */
public final class PemFiles {
    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    /** A chain of a few certificates is a few KiB: anything much larger is the wrong file. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String TO_PKCS8 = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8";

    private PemFiles() {
    }

    /** @throws IllegalArgumentException when the file is missing, unreadable or holds no valid certificate */
    public static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (CERTIFICATE.equals(block.type())) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " holds a certificate that cannot be parsed: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(chain);
    }

    /**
     * @param algorithm the key algorithm the certificate names ({@code RSA}, {@code EC}, {@code EdDSA}, …)
     * @throws IllegalArgumentException when the file is missing, unreadable, encrypted, not PKCS#8, or not a key of
     *                                  that algorithm
     */
    public static PrivateKey readPrivateKey(Path file, String algorithm) {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case PRIVATE_KEY:
                    return privateKey(file, block.der(), algorithm);
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(file + " holds an encrypted key; give it unencrypted ("
                            + TO_PKCS8 + ") and protect the file instead");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY":
                    throw new IllegalArgumentException(file + " holds a " + block.type() + " (PKCS#1/SEC1), not a"
                            + " PKCS#8 PRIVATE KEY; " + TO_PKCS8);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** One PEM block: the type line and the Base64 body in 64-character lines. */
    public static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The certificates as PEM blocks, in order: a chain file (leaf first) or a trust file. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(encode(CERTIFICATE, certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot encode the certificate "
                        + certificate.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
            }
        }
        return pem.toString();
    }

    /** The key as an unencrypted PKCS#8 PEM block, what {@link #readPrivateKey} reads. */
    public static String encodePrivateKey(PrivateKey key) {
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    private static PrivateKey privateKey(Path file, byte[] der, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an " + algorithm + " private key like the"
                    + " certificate's public key, so it does not belong to that certificate", e);
        }
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) {
        Matcher matcher = BLOCK.matcher(read(file));
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " has a " + matcher.group(1) + " block that is not Base64",
                        e);
            }
        }
        return blocks;
    }

    private static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist or is not a file");
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + " is larger than 1 MiB: not a PEM certificate or key");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
