package io.herald.gateway.handler;

import io.herald.core.event.DisconnectReason;
import io.herald.gateway.limit.AbuseLimits;
import io.herald.gateway.limit.ConnectionCapacity;
import io.herald.gateway.limit.ConnectionsPerAddress;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.gateway.proxy.DeviceAddress;
import io.herald.protocol.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;

/**
 * Refuses a connection, as soon as it is accepted (before AUTH, so that unauthenticated sockets count too), when the
 * gateway already holds its maximum of connections in all (ERROR GATEWAY_FULL; a WebSocket client, which cannot read
 * frames before its upgrade, gets HTTP 503), or when its remote address already has the maximum open (ERROR
 * RATE_LIMITED; WebSocket: HTTP 429). A full gateway's refusal tells the device to log in again elsewhere: a cluster
 * stops sending logins to a gateway that advertises itself full, and the SDK logs in again after GATEWAY_FULL. An
 * accepted connection is uncounted when it closes, and this handler leaves its pipeline at once (one context less
 * per connection).
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionCapacity capacity;
    private final ConnectionsPerAddress perAddress;
    private final Disconnector disconnector;
    private final GatewayMetrics metrics;

    /** Either limit may be null (not enforced), not both. */
    public ConnectionLimitHandler(ConnectionCapacity capacity, ConnectionsPerAddress perAddress,
                                  Disconnector disconnector, GatewayMetrics metrics) {
        if (capacity == null && perAddress == null) {
            throw new IllegalArgumentException("no connection limit to enforce");
        }
        this.capacity = capacity;
        this.perAddress = perAddress;
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    /** The handler for these limits; null when neither the capacity nor the per-address limit is set. */
    public static ConnectionLimitHandler forLimits(AbuseLimits limits, Disconnector disconnector,
                                                   GatewayMetrics metrics) {
        ConnectionCapacity capacity = limits.maxConnections() == 0 ? null
                : new ConnectionCapacity(limits.maxConnections());
        ConnectionsPerAddress perAddress = limits.maxConnectionsPerAddress() == 0 ? null
                : new ConnectionsPerAddress(limits.maxConnectionsPerAddress());
        if (capacity != null) {
            metrics.connectionCapacity(capacity);
        }
        return capacity == null && perAddress == null ? null
                : new ConnectionLimitHandler(capacity, perAddress, disconnector, metrics);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (capacity != null && !capacity.tryOpen()) {
            metrics.connectionRefusedAtCapacity();
            refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.GATEWAY_FULL, "this gateway is full ("
                    + capacity.max() + " connections, --max-connections): log in again for another gateway");
            return; // the rest of the pipeline never sees it active: no auth timer starts
        }
        InetAddress address = DeviceAddress.ipOf(channel); // behind a trusted balancer: the device's own
        boolean perAddressCounted = perAddress != null && address != null;
        if (perAddressCounted && !perAddress.tryOpen(address)) {
            if (capacity != null) {
                capacity.closed();
            }
            metrics.connectionRefusedForAddress();
            refuse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, "too many connections from "
                    + address.getHostAddress() + " (at most " + perAddress.max() + ")");
            return;
        }
        channel.closeFuture().addListener(closed -> {
            if (capacity != null) {
                capacity.closed();
            }
            if (perAddressCounted) {
                perAddress.closed(address);
            }
        });
        ctx.pipeline().remove(this);
        ctx.fireChannelActive(); // a removed context still passes events on to the next one
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus httpStatus, ErrorCode error, String reason) {
        if (ctx.pipeline().get(HandlerNames.HTTP_CODEC) != null) {
            // Before AUTH: no session, so no device.disconnected event names this reason.
            disconnector.closeWith(ctx.channel(), HttpRefusal.of(httpStatus, reason),
                    "refused WebSocket connection: " + reason, DisconnectReason.RATE_LIMITED);
        } else {
            disconnector.protocolError(ctx.channel(), error, reason);
        }
    }
}
