package io.herald.server.standalone;

import io.herald.core.gateway.GatewayAddress;
import io.herald.core.gateway.GatewayLocator;
import java.util.Optional;

/**
 * Standalone: every device uses this node's own gateway. The host given to devices is the configured public
 * host, else the host the device used to reach the API (it reached this machine under that name), else the
 * bind address, else loopback. Under TLS the answer says so, and the WebSocket URL is {@code wss://}.
 */
final class LocalGatewayLocator implements GatewayLocator {
    private final String publicHost;
    private final String bindAddress;
    private final int tcpPort;
    private final int wsPort;
    private final String wsPath;
    private final boolean tls;

    LocalGatewayLocator(String publicHost, String bindAddress, int tcpPort, int wsPort, String wsPath, boolean tls) {
        this.publicHost = publicHost;
        this.bindAddress = bindAddress;
        this.tcpPort = tcpPort;
        this.wsPort = wsPort;
        this.wsPath = wsPath;
        this.tls = tls;
    }

    @Override
    public Optional<GatewayAddress> locate(String clientId, String requestHost) {
        String host = chooseHost(requestHost);
        return Optional.of(new GatewayAddress(host, tcpPort, GatewayAddress.webSocketUrl(host, wsPort, wsPath, tls),
                tls));
    }

    private String chooseHost(String requestHost) {
        if (publicHost != null && !publicHost.isBlank()) {
            return publicHost;
        }
        if (requestHost != null && !requestHost.isBlank()) {
            return requestHost;
        }
        if (!"0.0.0.0".equals(bindAddress) && !"::".equals(bindAddress)) {
            return bindAddress;
        }
        return "127.0.0.1";
    }
}
