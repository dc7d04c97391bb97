package io.herald.gateway.tls;

import io.herald.core.tls.TlsKeyMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The gateway's TLS: one server context shared by every device connection, TCP and WebSocket alike. BoringSSL
 * (netty-tcnative) where it loads, since it costs far less CPU per handshake and per byte than the JDK's engine,
 * which is the fallback. TLS 1.2 and 1.3 only.
 */
public final class DeviceTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final SslProvider provider;

    private DeviceTls(SslContext context, SslProvider provider) {
        this.context = context;
        this.provider = provider;
    }

    /** @throws IllegalArgumentException when the TLS engine refuses the key or certificates */
    public static DeviceTls of(TlsKeyMaterial material) {
        Objects.requireNonNull(material, "material");
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try {
            SslContext context = SslContextBuilder.forServer(material.privateKey(), material.certificateChain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
            return new DeviceTls(context, provider);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("the TLS engine (" + provider + ") refuses the key and certificate: "
                    + e.getMessage(), e);
        }
    }

    /** The TLS stage of one new connection; a handshake not finished within {@code handshakeTimeout} closes it. */
    public SslHandler newHandler(ByteBufAllocator allocator, Duration handshakeTimeout) {
        SslHandler handler = context.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return handler;
    }

    /** {@code OPENSSL} or {@code JDK}, for the start-up log. */
    public String provider() {
        return provider.name();
    }
}
