package io.herald.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The key per-address limits count under. An IPv4 address is itself; an IPv6 address counts as its /64, because a
 * single host (a home line, a cloud VM) is routinely given a whole /64 and can pick a new address from it for every
 * connection, so counting exact IPv6 addresses would not limit anyone. An IPv4 address written as IPv6
 * ({@code ::ffff:192.0.2.1}) is the IPv4 address.
 */
public final class AddressBlocks {
    /** The prefix an IPv6 address is counted under. */
    public static final int IPV6_PREFIX_BITS = 64;

    private AddressBlocks() {
    }

    /** {@code 192.0.2.1}, or {@code 2001:db8:1:2::/64} for any address in that /64. */
    public static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        StringBuilder key = new StringBuilder(24);
        for (int i = 0; i < IPV6_PREFIX_BITS / 8; i += 2) {
            key.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return key.append(":/").append(IPV6_PREFIX_BITS).toString();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
