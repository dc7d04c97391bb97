package io.herald.gateway.proxy;

import io.herald.core.net.AddressRange;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers trusted to put a PROXY protocol header in front of a device connection (TCP load balancers such as nginx's
 * stream module or HAProxy, {@code --proxy-protocol-from}): IP addresses and CIDR blocks. From any other peer a
 * header is never read: it would be a device choosing the address it is counted under.
 */
public final class ProxySources {
    public static final ProxySources NONE = new ProxySources(List.of());

    private final List<String> entries;
    private final List<IpSubnetFilterRule> rules;

    private ProxySources(List<String> entries) {
        this.entries = List.copyOf(entries);
        List<IpSubnetFilterRule> parsed = new ArrayList<>();
        for (String entry : this.entries) {
            parsed.add(rule(entry));
        }
        this.rules = List.copyOf(parsed);
    }

    /** IP addresses and CIDR blocks ({@code 10.0.0.0/8}); host names and bad prefix lengths are refused, named. */
    public static ProxySources of(List<String> entries) {
        return entries.isEmpty() ? NONE : new ProxySources(entries.stream().map(String::trim).toList());
    }

    private static IpSubnetFilterRule rule(String entry) {
        AddressRange range = AddressRange.parse(entry, "PROXY protocol source");
        return new IpSubnetFilterRule(range.address(), range.prefixBits(), IpFilterRuleType.ACCEPT);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether a connection from this peer may start with a PROXY header. */
    public boolean trusts(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(inet)) {
                return true;
            }
        }
        return false;
    }

    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "none" : String.join(",", entries);
    }
}
