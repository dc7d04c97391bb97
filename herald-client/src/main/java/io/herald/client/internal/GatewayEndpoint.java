package io.herald.client.internal;

import io.herald.client.TlsMode;
import io.herald.client.Transport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one connection attempt goes: a TCP {@code host:port}, or a WebSocket URL (whose host and port are
 * what the socket connects to).
 *
 * @param webSocketUri the {@code ws://} or {@code wss://} URL for {@link Transport#WEBSOCKET}, else null
 * @param tls          whether the connection is wrapped in TLS ({@code wss://})
 */
public record GatewayEndpoint(Transport transport, String host, int port, URI webSocketUri, boolean tls) {
    public GatewayEndpoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The endpoint for {@code transport} in a login answer, with TLS as the answer says. */
    public static GatewayEndpoint of(GatewayInfo gateway, Transport transport) {
        return of(gateway, transport, TlsMode.AUTO);
    }

    /** The endpoint for {@code transport} in a login answer, with TLS as {@code tls} and the answer say. */
    public static GatewayEndpoint of(GatewayInfo gateway, Transport transport, TlsMode tls) {
        if (transport == Transport.TCP) {
            if (gateway.host() == null || gateway.host().isEmpty() || gateway.tcpPort() <= 0) {
                throw new NoUsableGatewayException("login assigned gateway " + gateway
                        + " without a TCP host and port; is its TCP listener off? (try the WEBSOCKET transport)");
            }
            return new GatewayEndpoint(Transport.TCP, gateway.host(), gateway.tcpPort(), null,
                    tls == TlsMode.ON || tls == TlsMode.AUTO && gateway.tls());
        }
        if (gateway.wsUrl() == null || gateway.wsUrl().isEmpty()) {
            throw new NoUsableGatewayException("login assigned gateway " + gateway
                    + " without a WebSocket URL; is its WebSocket listener off? (try the TCP transport)");
        }
        try {
            GatewayEndpoint endpoint = webSocket(new URI(gateway.wsUrl()));
            boolean wantTls = tls == TlsMode.ON || tls == TlsMode.AUTO && (endpoint.tls() || gateway.tls());
            return wantTls == endpoint.tls() ? endpoint : endpoint.withTls(wantTls);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new NoUsableGatewayException("login assigned an unusable WebSocket URL '" + gateway.wsUrl()
                    + "': " + e.getMessage());
        }
    }

    private static GatewayEndpoint webSocket(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "ws", "http" -> false;
            case "wss", "https" -> true;
            default -> throw new IllegalArgumentException("scheme must be ws or wss");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        URI normalised = withAuthority(uri, tls ? "wss" : "ws", uri.getHost(), port);
        return new GatewayEndpoint(Transport.WEBSOCKET, unbracket(uri.getHost()), port, normalised, tls);
    }

    /**
     * This endpoint moved to {@code hostPort} ("host:port", IPv6 hosts in brackets) as a REDIRECT notice says;
     * a WebSocket endpoint keeps its scheme and path.
     *
     * @throws IllegalArgumentException when {@code hostPort} is not host:port
     */
    public GatewayEndpoint redirectedTo(String hostPort) {
        URI parsed;
        try {
            parsed = new URI("tcp://" + hostPort);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redirect target is not host:port: '" + hostPort + "'", e);
        }
        if (parsed.getHost() == null || parsed.getPort() < 1 || parsed.getRawPath() != null
                && !parsed.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("redirect target is not host:port: '" + hostPort + "'");
        }
        String newHost = unbracket(parsed.getHost());
        URI newUri = webSocketUri == null ? null
                : withAuthority(webSocketUri, webSocketUri.getScheme(), parsed.getHost(), parsed.getPort());
        return new GatewayEndpoint(transport, newHost, parsed.getPort(), newUri, tls);
    }

    /** The same host, port and path with the scheme {@code wss} or {@code ws}. */
    private GatewayEndpoint withTls(boolean useTls) {
        URI uri = withAuthority(webSocketUri, useTls ? "wss" : "ws", host, port);
        return new GatewayEndpoint(transport, host, port, uri, useTls);
    }

    /** For logs and {@code ConnectionInfo}: "host:port" or the WebSocket URL. */
    public String describe() {
        if (webSocketUri != null) {
            return webSocketUri.toString();
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static URI withAuthority(URI uri, String scheme, String host, int port) {
        try {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            return new URI(scheme + "://" + bracketed + ":" + port + path + query);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
