package io.herald.gateway.tls;

import io.herald.core.tls.TlsKeyMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The gateway's TLS: one server context shared by every device connection, TCP and WebSocket alike. BoringSSL
 * (netty-tcnative) where it loads, since it costs far less CPU per handshake and per byte than the JDK's engine,
 * which is the fallback. TLS 1.2 and 1.3 only. With BoringSSL, session tickets sealed by {@link SessionTicketKeys}
 * let a reconnecting device resume; the JDK engine keeps its own defaults.
 */
public final class DeviceTls {
    /** How long one ticket key seals new tickets, and how long a ticket lives: see {@link SessionTicketKeys}. */
    public static final Duration TICKET_KEY_ROTATION = Duration.ofHours(1);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final SslProvider provider;
    /** Null with the JDK engine. */
    private final SessionTicketKeys ticketKeys;

    private DeviceTls(SslContext context, SslProvider provider, SessionTicketKeys ticketKeys) {
        this.context = context;
        this.provider = provider;
        this.ticketKeys = ticketKeys;
    }

    /**
     * TLS whose session tickets only this process opens (a random {@link TicketSecret}): after a restart every device
     * does a full handshake.
     *
     * @throws IllegalArgumentException when the TLS engine refuses the key or certificates
     */
    public static DeviceTls of(TlsKeyMaterial material) {
        return of(material, TicketSecret.random(new SecureRandom()));
    }

    /**
     * TLS whose session ticket keys derive from {@code tickets}: every process with the same secret opens the
     * tickets of the others (a restarted node, the other gateways of a cluster).
     *
     * @throws IllegalArgumentException when the TLS engine refuses the key or certificates
     */
    public static DeviceTls of(TlsKeyMaterial material, TicketSecret tickets) {
        Objects.requireNonNull(material, "material");
        Objects.requireNonNull(tickets, "tickets");
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try {
            SslContext context = SslContextBuilder.forServer(material.privateKey(), material.certificateChain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
            SessionTicketKeys ticketKeys = context.sessionContext() instanceof OpenSslSessionContext sessions
                    ? new SessionTicketKeys(sessions, tickets, TICKET_KEY_ROTATION, System::currentTimeMillis) : null;
            return new DeviceTls(context, provider, ticketKeys);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("the TLS engine (" + provider + ") refuses the key and certificate: "
                    + e.getMessage(), e);
        }
    }

    /** The TLS stage of one new connection; a handshake not finished within {@code handshakeTimeout} closes it. */
    public SslHandler newHandler(ByteBufAllocator allocator, Duration handshakeTimeout) {
        if (ticketKeys != null) {
            ticketKeys.rotateIfDue();
        }
        SslHandler handler = context.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return handler;
    }

    /** {@code OPENSSL} or {@code JDK}, for the start-up log. */
    public String provider() {
        return provider.name();
    }
}
