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

/** The API node's end of TLS on the internal link: whom it trusts as gateways, and for mutual TLS who it is. */
public final class ApiLinkTlsOptions {

    @Option(names = "--link-tls-trust", paramLabel = "FILE",
            description = "PEM certificates (CAs, or the gateways' own) to trust for the internal link; turns TLS on"
                    + " for every link. A gateway's certificate must name the host it registered in ZooKeeper.")
    Path trustFile;

    @Option(names = "--link-tls-client-cert", paramLabel = "FILE",
            description = "Mutual TLS: PEM certificate chain this node presents to gateways with"
                    + " --link-tls-client-trust.")
    Path clientCertificateFile;

    @Option(names = "--link-tls-client-key", paramLabel = "FILE",
            description = "PEM private key of --link-tls-client-cert: unencrypted PKCS#8.")
    Path clientKeyFile;

    /** TLS for the links to the gateways, or {@link LinkTls#OFF}; every refusal names the option to fix. */
    public LinkTls linkTls() {
        TlsKeyMaterial clientKey = CertificateKeyFiles.read("--link-tls-client-cert", clientCertificateFile,
                "--link-tls-client-key", clientKeyFile);
        if (trustFile == null) {
            if (clientKey != null) {
                throw new IllegalArgumentException("--link-tls-client-cert needs --link-tls-trust: mutual TLS is"
                        + " TLS first");
            }
            return LinkTls.OFF;
        }
        List<X509Certificate> trust = Setting.of("--link-tls-trust", () -> PemFiles.readCertificates(trustFile));
        return Setting.of("--link-tls-trust", () -> LinkTls.OFF.withClient(trust, clientKey));
    }
}
