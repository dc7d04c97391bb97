package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.util.InetAddressPredicates;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The address a request comes from, for per-address limits. The peer of the connection, unless that peer is a
 * trusted proxy (such as the nginx in front of the API nodes): then {@code X-Forwarded-For} is read from the right,
 * hop by hop, while the hop is trusted, and the first untrusted one is the client. Reading from the right matters:
 * nginx's {@code $proxy_add_x_forwarded_for} appends the peer it saw to whatever the client sent, so the left end
 * is whatever a client chose to write there. Without trusted proxies the header is never read.
 */
final class ClientAddresses {
    private final Predicate<InetAddress> trusted;

    /** @param trustedProxies IP addresses and CIDR blocks ({@code 10.0.0.0/8}) whose X-Forwarded-For is believed */
    ClientAddresses(List<String> trustedProxies) {
        Predicate<InetAddress> any = address -> false;
        for (String proxy : trustedProxies) {
            any = any.or(parse(proxy));
        }
        this.trusted = any;
    }

    /** Checks a trusted-proxy entry: an IP literal, or one with a prefix length; host names are refused. */
    static Predicate<InetAddress> parse(String proxy) {
        String text = proxy.trim();
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes == null) {
            throw new IllegalArgumentException("trusted proxy '" + proxy + "' is not an IP address or CIDR block");
        }
        int maxBits = bytes.length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException("trusted proxy '" + proxy + "' has a bad prefix length");
            }
        }
        return InetAddressPredicates.ofCidr(NetUtil.createInetAddressFromIpAddressString(ip), bits);
    }

    InetAddress of(ServiceRequestContext ctx) {
        return resolve(ctx.remoteAddress().getAddress(),
                ctx.request().headers().getAll(HttpHeaderNames.X_FORWARDED_FOR));
    }

    InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
        InetAddress client = peer;
        if (!trusted.test(client) || forwardedFor.isEmpty()) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0 && trusted.test(client); i--) {
            InetAddress hop = NetUtil.createInetAddressFromIpAddressString(hops.get(i));
            if (hop == null) {
                break; // a garbled hop: the last address we could trust to have seen the client is the answer
            }
            client = hop;
        }
        return client;
    }
}
