package io.herald.bench.sim;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of device connections in one process: one shared event loop group, one small pipeline per
 * connection ({@link DeviceLink}'s TLS or WebSocket stages if any, then the {@link DeviceProtocol}'s codec and
 * device handler). Connections are spread over several
 * loopback source addresses (127.0.0.1, .2, ...) so that no single address runs out of ephemeral ports.
 * Serves Herald and the ideal baseline alike (both speak Herald's protocol), or, with {@link DeviceProtocol#MQTT},
 * Herald's MQTT listener and an MQTT broker alike.
 */
public final class DeviceSimulator implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final List<InetAddress> sourceAddresses;
    private final Bootstrap bootstrap;
    private final DeviceLink link;
    private final DeviceProtocol protocol;

    /**
     * @param ioThreads     event loop threads (0: one per core)
     * @param sourceCount   loopback source addresses to spread connections over (1 to 254)
     */
    public DeviceSimulator(int ioThreads, int sourceCount, DeviceLink link) {
        this(ioThreads, 1, sourceCount, link, DeviceProtocol.HERALD);
    }

    /** @param protocol what the devices speak: Herald's frames or MQTT 5 */
    public DeviceSimulator(int ioThreads, int sourceCount, DeviceLink link, DeviceProtocol protocol) {
        this(ioThreads, 1, sourceCount, link, protocol);
    }

    /**
     * @param firstSource  last byte of the first source address: worker processes use disjoint ranges, so that
     *                     their ephemeral ports never compete
     * @param link         plain TCP, WebSocket, either in TLS
     */
    public DeviceSimulator(int ioThreads, int firstSource, int sourceCount, DeviceLink link) {
        this(ioThreads, firstSource, sourceCount, link, DeviceProtocol.HERALD);
    }

    private DeviceSimulator(int ioThreads, int firstSource, int sourceCount, DeviceLink link, DeviceProtocol protocol) {
        if (sourceCount < 1 || firstSource < 1 || firstSource + sourceCount - 1 > 254) {
            throw new IllegalArgumentException("source addresses must lie in 127.0.0.1..254, were 127.0.0."
                    + firstSource + " + " + sourceCount);
        }
        this.link = link;
        this.protocol = protocol;
        this.transport = NettyTransport.detect();
        this.group = transport.newGroup(ioThreads, "bench-device");
        this.sourceAddresses = loopbackAddresses(firstSource, sourceCount);
        this.bootstrap = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Connects the device and authenticates with the token (MQTT: the password); completes once the device is online
     * (AUTH_OK; MQTT: its SUBACK), or fails.
     */
    public CompletableFuture<Void> connect(SimulatedDevice device, InetSocketAddress gateway, String token,
                                           DeviceEvents events) {
        CompletableFuture<Void> authenticated = new CompletableFuture<>();
        InetSocketAddress source = new InetSocketAddress(sourceAddresses.get(device.index() % sourceAddresses.size()), 0);
        ChannelFuture connected = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                link.addStages(channel, gateway, device.clientId());
                protocol.addHandlers(channel.pipeline(), device, token, events, authenticated, link.waitsForUpgrade());
            }
        }).connect(gateway, source);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                authenticated.completeExceptionally(f.cause());
            }
        });
        return authenticated;
    }

    public EventLoopGroup group() {
        return group;
    }

    public String transportName() {
        return transport.name();
    }

    public DeviceLink link() {
        return link;
    }

    public DeviceProtocol protocol() {
        return protocol;
    }

    public NettyTransport transport() {
        return transport;
    }

    public int sourceAddressCount() {
        return sourceAddresses.size();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static List<InetAddress> loopbackAddresses(int first, int count) {
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            try {
                addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("cannot build 127.0.0." + i, e);
            }
        }
        return addresses;
    }
}
