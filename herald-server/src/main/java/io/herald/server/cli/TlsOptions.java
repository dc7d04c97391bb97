package io.herald.server.cli;

import io.herald.core.tls.TlsKeyMaterial;
import io.herald.server.tls.SelfSignedTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * TLS for what devices and backends connect to (device TCP, WebSocket as {@code wss://}, the HTTP API as
 * {@code https://}): the options standalone, the cluster {@code gateway} and the {@code api} role share. Every
 * refusal names the option to fix.
 */
public final class TlsOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain, the server's certificate first; with --tls-key turns TLS on.")
    Path certificateFile;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert: unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----).")
    Path keyFile;

    @Option(names = "--tls-self-signed", defaultValue = "false",
            description = "For development: TLS with a self-signed certificate for this host, made at start and kept"
                    + " in a file whose path is printed; clients must trust that file.")
    boolean selfSigned;

    /**
     * The names a self-signed certificate is made for: the given ones that name a host (public host, a specific
     * bind address), then localhost, this machine's name and the loopback addresses.
     */
    public static List<String> hostNames(String... preferred) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String name : preferred) {
            if (name != null && !name.isBlank() && !"0.0.0.0".equals(name) && !"::".equals(name)) {
                names.add(name);
            }
        }
        names.add("localhost");
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            // no name of its own: the loopback names still serve local clients
        }
        names.add("127.0.0.1");
        names.add("::1");
        return List.copyOf(names);
    }

    public boolean enabled() {
        return selfSigned || certificateFile != null || keyFile != null;
    }

    public boolean selfSigned() {
        return selfSigned;
    }

    /**
     * The key and certificates to serve with, or empty when TLS is off.
     *
     * @param selfSignedDirectory where {@code --tls-self-signed} keeps its certificate and key
     * @param hosts               the names and addresses a self-signed certificate is made for
     * @throws IllegalArgumentException naming the option whose value is refused
     */
    public Optional<TlsKeyMaterial> keyMaterial(Path selfSignedDirectory, Collection<String> hosts) {
        if (selfSigned) {
            if (certificateFile != null || keyFile != null) {
                throw new IllegalArgumentException("--tls-self-signed makes its own certificate: give it or"
                        + " --tls-cert with --tls-key, not both");
            }
            return Optional.of(SelfSignedTls.obtain(selfSignedDirectory, hosts));
        }
        return Optional.ofNullable(CertificateKeyFiles.read("--tls-cert", certificateFile, "--tls-key", keyFile));
    }
}
