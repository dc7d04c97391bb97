package io.herald.bench.sim;

import io.herald.client.internal.BinaryFrameToByteBuf;
import io.herald.client.internal.ByteBufToBinaryFrame;
import io.herald.core.tls.PemFiles;
import io.herald.gateway.GatewaySettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * How a simulated device reaches its gateway: plain TCP, or WebSocket, either one in TLS. The device-side stages
 * in front of the frame codec: [TLS] → [HTTP codec → WebSocket handshake → binary-message adapters, the SDK's own].
 *
 * <p>TLS trusts exactly one certificate file (the server's self-signed one, or whatever {@code --tls-trust}
 * names), read at the first connection, since the server writes it only when it starts. One client context for
 * the whole process, whose session cache is keyed by peer host and port: each device gives its own id as the peer
 * host, so that, as on real devices, each keeps its own session and a device that reconnects offers the ticket the
 * gateway gave it, not one another device got. (The id then travels as SNI, which the gateway ignores, and the
 * certificate is checked against the one trusted file rather than a host name.) The OpenSSL engine where it loads,
 * so that the simulator, sharing the cores with the server, spends as little CPU per handshake as it can.
 */
public final class DeviceLink {
    /** The handshake answer is headers only. */
    private static final int MAX_HANDSHAKE_RESPONSE = 8 * 1024;
    private static final int MAX_WEBSOCKET_MESSAGE = 1024 * 1024;

    /** The device protocol's carrier. */
    public enum Transport { TCP, WS }

    /** What the command line chose: a transport, and TLS trusting {@code trustFile} or no TLS (null). */
    public record Settings(Transport transport, Path trustFile) {
        public static final Settings PLAIN_TCP = new Settings(Transport.TCP, null);

        public boolean tls() {
            return trustFile != null;
        }

        /** The worker process's options that recreate these settings. */
        public List<String> toArgs() {
            List<String> args = new ArrayList<>(List.of("--transport", transport.name()));
            if (trustFile != null) {
                args.addAll(List.of("--tls-trust", trustFile.toString()));
            }
            return args;
        }

        public String describe() {
            return transport.name().toLowerCase() + (tls() ? " over TLS" : "");
        }
    }

    private final Settings settings;
    private volatile SslContext tls;

    public DeviceLink(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** WebSocket devices speak only once the upgrade is done; TCP ones right away (TLS holds writes until ready). */
    boolean waitsForUpgrade() {
        return settings.transport() == Transport.WS;
    }

    /** Adds the stages between the socket and the frame codec; {@code deviceId} keys the device's TLS session. */
    void addStages(Channel channel, InetSocketAddress gateway, String deviceId) {
        ChannelPipeline pipeline = channel.pipeline();
        if (settings.tls()) {
            pipeline.addLast(tlsContext().newHandler(channel.alloc(), deviceId, gateway.getPort()));
        }
        if (settings.transport() == Transport.WS) {
            URI uri = URI.create((settings.tls() ? "wss://" : "ws://") + gateway.getHostString() + ":"
                    + gateway.getPort() + GatewaySettings.DEFAULT_WS_PATH);
            pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE),
                    new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                            .version(WebSocketVersion.V13).allowExtensions(false)
                            .maxFramePayloadLength(MAX_WEBSOCKET_MESSAGE).build()),
                    BinaryFrameToByteBuf.INSTANCE, ByteBufToBinaryFrame.INSTANCE);
        }
    }

    private SslContext tlsContext() {
        SslContext context = tls;
        if (context == null) {
            synchronized (this) {
                if (tls == null) {
                    tls = newTlsContext(settings.trustFile());
                }
                context = tls;
            }
        }
        return context;
    }

    private static SslContext newTlsContext(Path trustFile) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm(null)
                    .trustManager(PemFiles.readCertificates(trustFile).toArray(new X509Certificate[0]))
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot set up TLS trusting " + trustFile + ": " + e.getMessage(), e);
        }
    }
}
