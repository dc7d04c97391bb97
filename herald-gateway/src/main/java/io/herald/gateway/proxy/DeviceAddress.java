package io.herald.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Where a device connection comes from: the address a trusted balancer's PROXY header named, else the connection's
 * peer. What the per-address limits count, the secret throttle keys on, and sessions and events report.
 */
public final class DeviceAddress {
    /** Set only on a connection whose trusted peer sent a PROXY header with the device's address. */
    static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("herald.proxied-address");

    private DeviceAddress() {
    }

    public static SocketAddress of(Channel channel) {
        if (channel.hasAttr(PROXIED)) {
            InetSocketAddress proxied = channel.attr(PROXIED).get();
            if (proxied != null) {
                return proxied;
            }
        }
        return channel.remoteAddress();
    }

    /** The IP address of {@link #of}, or null (an embedded or local channel). */
    public static InetAddress ipOf(Channel channel) {
        return of(channel) instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
