package io.herald.cluster.link.tls;

import io.herald.core.tls.TlsKeyMaterial;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * TLS on the internal link. The gateway's side: the certificate it serves and, for mutual TLS, the certificates
 * whose API nodes it accepts. The API node's side: the certificates it trusts for gateways (their certificate must
 * name the host the node connects to, as ZooKeeper announced it) and, for mutual TLS, the certificate it presents.
 * The HMAC handshake on the cluster secret runs inside TLS unchanged.
 *
 * <p>The JDK's engine: a link is one long-lived connection per API node and gateway, so handshake cost does not
 * matter, and the JDK's trust manager checks the host name itself. TLS 1.2 and 1.3 only.
 */
public final class LinkTls {
    /** Plain TCP on both sides. */
    public static final LinkTls OFF = new LinkTls(null, null);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext server;
    private final SslContext client;

    private LinkTls(SslContext server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    /**
     * The gateway serves {@code key} on its link.
     *
     * @param clientTrust empty: any API node that knows the cluster secret; else only those presenting a certificate
     *                    these certificates vouch for (mutual TLS)
     * @throws IllegalArgumentException when the TLS engine refuses the key or certificates
     */
    public LinkTls withServer(TlsKeyMaterial key, List<X509Certificate> clientTrust) {
        Objects.requireNonNull(key, "key");
        SslContextBuilder builder = SslContextBuilder.forServer(key.privateKey(), key.certificateChain());
        if (!clientTrust.isEmpty()) {
            builder.trustManager(clientTrust).clientAuth(ClientAuth.REQUIRE);
        }
        return new LinkTls(build(builder), client);
    }

    /**
     * The API node's links use TLS and accept only gateways whose certificate {@code trust} vouches for and that
     * names the host connected to.
     *
     * @param key the certificate to present for mutual TLS, or null
     * @throws IllegalArgumentException when {@code trust} is empty or the TLS engine refuses the certificates
     */
    public LinkTls withClient(List<X509Certificate> trust, TlsKeyMaterial key) {
        if (trust.isEmpty()) {
            throw new IllegalArgumentException("link TLS needs at least one trusted certificate");
        }
        SslContextBuilder builder = SslContextBuilder.forClient().trustManager(trust)
                .endpointIdentificationAlgorithm("HTTPS");
        if (key != null) {
            builder.keyManager(key.privateKey(), key.certificateChain());
        }
        return new LinkTls(server, build(builder));
    }

    /** Whether the gateway's link server speaks TLS. */
    public boolean serverEnabled() {
        return server != null;
    }

    /** Whether the API node's link clients speak TLS. */
    public boolean clientEnabled() {
        return client != null;
    }

    /**
     * Puts the server's TLS stage first in a new connection's pipeline: until the handshake succeeds the handlers
     * after it do not see the connection as active; a failed or late handshake is handed to {@code failed} and
     * closes the connection.
     */
    public void addServerStage(ChannelPipeline pipeline, Duration handshakeTimeout, Consumer<Throwable> failed) {
        add(pipeline, server.newHandler(pipeline.channel().alloc()), handshakeTimeout, failed);
    }

    /** Like {@link #addServerStage} for a link client connecting to {@code host:port}, the name checked. */
    public void addClientStage(ChannelPipeline pipeline, String host, int port, Duration handshakeTimeout,
                               Consumer<Throwable> failed) {
        add(pipeline, client.newHandler(pipeline.channel().alloc(), host, port), handshakeTimeout, failed);
    }

    /** Words for a failed handshake, for the log and the link's failure, with what to check for the usual causes. */
    public static String describe(Throwable handshakeFailure) {
        return HandshakeGate.describe(handshakeFailure);
    }

    private static void add(ChannelPipeline pipeline, SslHandler tls, Duration handshakeTimeout,
                            Consumer<Throwable> failed) {
        tls.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        pipeline.addLast(HandshakeGate.TLS, tls);
        pipeline.addLast(HandshakeGate.NAME, new HandshakeGate(failed));
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("the TLS engine refuses the link's key or certificates: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LinkTls[server=" + serverEnabled() + ", client=" + clientEnabled() + "]";
    }
}
