package io.herald.core.tls;

import io.netty.util.NetUtil;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes X.509 certificates, which the JDK has no public API for: the self-signed server certificate of
 * {@code --tls-self-signed}, and in tests a private CA and the server certificates it signs. EC P-256 keys and
 * ECDSA-SHA256 signatures: quick to generate, accepted by every current TLS stack. Server certificates name their
 * hosts in subjectAltName (DNS names and IP addresses), where clients look for them, and may also serve as client
 * certificates (mutual TLS on the cluster's internal link).
 */
public final class CertificateIssuer {
    /** Backdated a little, so that a client whose clock is slightly behind accepts a certificate made just now. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate and its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    private CertificateIssuer() {
    }

    /** A server certificate that signs itself: clients trust this very certificate. */
    public static Issued selfSigned(List<String> hosts, Duration validity) {
        KeyPair keys = newKeyPair();
        return new Issued(build(hosts.get(0), keys, hosts, null, keys.getPrivate(), false, validity), keys);
    }

    /** A CA certificate that may sign server certificates (tests' private PKI). */
    public static Issued certificateAuthority(String name, Duration validity) {
        KeyPair keys = newKeyPair();
        return new Issued(build(name, keys, List.of(), null, keys.getPrivate(), true, validity), keys);
    }

    /** A server certificate for {@code hosts} signed by {@code ca}. */
    public static Issued signedBy(Issued ca, List<String> hosts, Duration validity) {
        KeyPair keys = newKeyPair();
        return new Issued(build(hosts.get(0), keys, hosts, ca.certificate(), ca.privateKey(), false, validity), keys);
    }

    private static X509Certificate build(String commonName, KeyPair subject, List<String> hosts,
                                         X509Certificate issuer, PrivateKey signingKey, boolean ca,
                                         Duration validity) {
        X500Name subjectName = new X500Name("CN=" + commonName.replaceAll("[,+=\"\\\\<>;#]", "_"));
        X500Name issuerName = issuer == null ? subjectName
                : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now.minus(CLOCK_SKEW)),
                    Date.from(now.plus(validity)), subjectName, subject.getPublic())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(subject.getPublic()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(issuer));
            }
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(
                                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                        .addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static GeneralNames alternativeNames(List<String> hosts) {
        return new GeneralNames(hosts.stream()
                .map(host -> host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                .map(host -> NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                        ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host))
                .toArray(GeneralName[]::new));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys: " + e.getMessage(), e);
        }
    }
}
