package io.herald.server.cluster;

import io.herald.cluster.link.tls.LinkTls;
import io.herald.core.tls.PemFiles;
import io.herald.core.tls.TlsKeyMaterial;
import io.herald.server.cli.CertificateKeyFiles;
import io.herald.server.cli.Setting;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine.Option;

/** The gateway's end of TLS on the internal link: the certificate it serves, and for mutual TLS whom it admits. */
public final class GatewayLinkTlsOptions {

    @Option(names = "--link-tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain for the internal link, the gateway's certificate first (it must"
                    + " name --public-host); with --link-tls-key the link speaks TLS, and API nodes need"
                    + " --link-tls-trust.")
    Path certificateFile;

    @Option(names = "--link-tls-key", paramLabel = "FILE",
            description = "PEM private key of --link-tls-cert: unencrypted PKCS#8.")
    Path keyFile;

    @Option(names = "--link-tls-client-trust", paramLabel = "FILE",
            description = "Mutual TLS: PEM certificates (CAs) vouching for the API nodes' --link-tls-client-cert;"
                    + " an API node without such a certificate is refused.")
    Path clientTrustFile;

    /** TLS for the link server, or {@link LinkTls#OFF}; every refusal names the option to fix. */
    public LinkTls linkTls() {
        TlsKeyMaterial key = CertificateKeyFiles.read("--link-tls-cert", certificateFile, "--link-tls-key", keyFile);
        if (key == null) {
            if (clientTrustFile != null) {
                throw new IllegalArgumentException("--link-tls-client-trust needs --link-tls-cert and"
                        + " --link-tls-key: mutual TLS is TLS first");
            }
            return LinkTls.OFF;
        }
        List<X509Certificate> clientTrust = clientTrustFile == null ? List.of()
                : Setting.of("--link-tls-client-trust", () -> PemFiles.readCertificates(clientTrustFile));
        return Setting.of("--link-tls-cert/--link-tls-key", () -> LinkTls.OFF.withServer(key, clientTrust));
    }
}
