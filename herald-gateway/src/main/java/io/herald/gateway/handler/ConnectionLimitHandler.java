package io.herald.gateway.handler;

import io.herald.gateway.limit.ConnectionsPerAddress;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.protocol.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Refuses a connection when its remote address already has the maximum open, as soon as it is accepted: before
 * AUTH, so that unauthenticated sockets count too. A TCP device gets ERROR RATE_LIMITED; a WebSocket client, which
 * cannot read frames before its upgrade, gets HTTP 429. An accepted connection is uncounted when it closes, and
 * this handler leaves its pipeline at once (one context less per connection).
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionsPerAddress connections;
    private final Disconnector disconnector;
    private final GatewayMetrics metrics;

    public ConnectionLimitHandler(ConnectionsPerAddress connections, Disconnector disconnector,
                                  GatewayMetrics metrics) {
        this.connections = connections;
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    /** The handler for at most {@code max} connections per address; null when {@code max} is 0 (no limit). */
    public static ConnectionLimitHandler forLimit(int max, Disconnector disconnector, GatewayMetrics metrics) {
        return max == 0 ? null : new ConnectionLimitHandler(new ConnectionsPerAddress(max), disconnector, metrics);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (address != null && !connections.tryOpen(address)) {
            metrics.connectionRefusedForAddress();
            refuse(ctx, address);
            return; // the rest of the pipeline never sees it active: no auth timer starts
        }
        if (address != null) {
            channel.closeFuture().addListener(closed -> connections.closed(address));
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive(); // a removed context still passes events on to the next one
    }

    private void refuse(ChannelHandlerContext ctx, InetAddress address) {
        String reason = "too many connections from " + address.getHostAddress() + " (at most "
                + connections.max() + ")";
        if (ctx.pipeline().get(HandlerNames.HTTP_CODEC) != null) {
            disconnector.closeWith(ctx.channel(), HttpRefusal.of(HttpResponseStatus.TOO_MANY_REQUESTS, reason),
                    "refused WebSocket connection: " + reason);
        } else {
            disconnector.protocolError(ctx.channel(), ErrorCode.RATE_LIMITED, reason);
        }
    }
}
