package io.herald.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.util.InetAddressPredicates;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.net.AddressRange;
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
        AddressRange range = AddressRange.parse(proxy, "trusted proxy");
        return InetAddressPredicates.ofCidr(range.address(), range.prefixBits());
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
