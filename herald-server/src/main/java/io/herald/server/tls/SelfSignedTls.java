package io.herald.server.tls;

import io.herald.core.tls.CertificateIssuer;
import io.herald.core.tls.PemFiles;
import io.herald.core.tls.TlsKeyMaterial;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --tls-self-signed}, for development: a certificate for this node's host names, made at the first start and
 * kept in {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} of a directory, so that clients told to trust the
 * certificate file ({@code herald client --tls-trust FILE}, {@code curl --cacert FILE}) keep trusting it across
 * restarts. It is made again when it lacks a name now asked for, or expires within a day.
 */
public final class SelfSignedTls {
    public static final String CERTIFICATE_FILE = "self-signed-cert.pem";
    public static final String KEY_FILE = "self-signed-key.pem";
    private static final Logger log = LoggerFactory.getLogger(SelfSignedTls.class);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);
    /** subjectAltName entry types: 2 is a DNS name, 7 an IP address (RFC 5280). */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SelfSignedTls() {
    }

    /** Where a node without a data directory of its own (the cluster roles) keeps its self-signed certificate. */
    public static Path directoryFor(String node) {
        return Path.of(System.getProperty("java.io.tmpdir"), "herald-tls", node);
    }

    /** Where the certificate is kept in {@code directory}: the file clients are told to trust. */
    public static Path certificateFile(Path directory) {
        return directory.resolve(CERTIFICATE_FILE);
    }

    /** The certificate kept in {@code directory} if it still fits {@code hosts}, else a new one written there. */
    public static TlsKeyMaterial obtain(Path directory, Collection<String> hosts) {
        Path certificate = certificateFile(directory);
        Path key = directory.resolve(KEY_FILE);
        if (Files.exists(certificate) && Files.exists(key)) {
            try {
                TlsKeyMaterial kept = TlsKeyMaterial.fromPem(certificate, key);
                if (fits(kept.certificate(), hosts)) {
                    log.info("TLS: self-signed certificate for {} in {} (clients must trust this file)",
                            hosts, certificate);
                    return kept;
                }
            } catch (IllegalArgumentException e) {
                log.warn("TLS: the self-signed certificate in {} cannot be used ({}); making a new one", directory,
                        e.getMessage());
            }
        }
        CertificateIssuer.Issued issued = CertificateIssuer.selfSigned(List.copyOf(hosts), VALIDITY);
        write(directory, certificate, key, issued);
        log.info("TLS: made a self-signed certificate for {} in {} (clients must trust this file)", hosts,
                certificate);
        return new TlsKeyMaterial(issued.privateKey(), List.of(issued.certificate()));
    }

    private static boolean fits(X509Certificate certificate, Collection<String> hosts) {
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> names = new HashSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    int type = (Integer) entry.get(0);
                    if (type == DNS_NAME || type == IP_ADDRESS) {
                        names.add(normalized(String.valueOf(entry.get(1))));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return hosts.stream().map(SelfSignedTls::normalized).allMatch(names::contains);
    }

    /** The JDK writes IPv6 addresses out in full (0:0:0:0:0:0:0:1): compare every address in one form. */
    private static String normalized(String host) {
        return NetUtil.isValidIpV6Address(host)
                ? NetUtil.toAddressString(NetUtil.createInetAddressFromIpAddressString(host)) : host;
    }

    private static void write(Path directory, Path certificate, Path key, CertificateIssuer.Issued issued) {
        try {
            Files.createDirectories(directory);
            byte[] keyPem = PemFiles.encodePrivateKey(issued.privateKey()).getBytes(StandardCharsets.US_ASCII);
            Files.deleteIfExists(key);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Created readable by the owner only before the key is written into it.
                Files.createFile(key, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            Files.write(key, keyPem);
            Files.writeString(certificate, PemFiles.encodeCertificates(List.of(issued.certificate())),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed certificate to " + directory + ": "
                    + e.getMessage(), e);
        }
    }
}
