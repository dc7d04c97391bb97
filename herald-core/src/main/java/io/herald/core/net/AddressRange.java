package io.herald.core.net;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * An IP address or CIDR block as an operator writes one in an option ({@code 10.0.0.0/8}, {@code ::1}): the one rule
 * for reading them, shared by the API's trusted proxies and the gateways' PROXY protocol sources, each of which
 * matches addresses with its own framework's filter. Host names are refused: a trust decision must not depend on DNS.
 *
 * @param address    the block's address
 * @param prefixBits the prefix length, 32 or 128 for a single address
 */
public record AddressRange(InetAddress address, int prefixBits) {

    /**
     * Reads {@code entry}; a refusal names it and {@code what} it is ("trusted proxy", "PROXY protocol source").
     */
    public static AddressRange parse(String entry, String what) {
        String text = entry.trim();
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes == null) {
            throw new IllegalArgumentException(what + " '" + entry + "' is not an IP address or CIDR block");
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
                throw new IllegalArgumentException(what + " '" + entry + "' has a bad prefix length (0 to " + maxBits
                        + ")");
            }
        }
        return new AddressRange(NetUtil.createInetAddressFromIpAddressString(ip), bits);
    }
}
