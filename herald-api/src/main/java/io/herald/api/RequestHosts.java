package io.herald.api;

import com.linecorp.armeria.server.ServiceRequestContext;

/** The host name a client used to reach us, which the gateway locator may hand back as the gateway host. */
final class RequestHosts {

    private RequestHosts() {
    }

    /**
     * The host part of the request's authority (the Host header in HTTP/1), without port and without the
     * brackets of an IPv6 literal; the local address the client connected to when there is no authority.
     */
    static String of(ServiceRequestContext ctx) {
        String host = hostOf(ctx.request().headers().authority());
        return host != null ? host : ctx.localAddress().getAddress().getHostAddress();
    }

    static String hostOf(String authority) {
        if (authority == null || authority.isBlank()) {
            return null;
        }
        String value = authority.trim();
        int at = value.lastIndexOf('@'); // userinfo is not allowed in Host, but tolerate it
        if (at >= 0) {
            value = value.substring(at + 1);
        }
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close > 1 ? value.substring(1, close) : null;
        }
        int colon = value.indexOf(':');
        String host = colon >= 0 ? value.substring(0, colon) : value;
        return host.isEmpty() ? null : host;
    }
}
