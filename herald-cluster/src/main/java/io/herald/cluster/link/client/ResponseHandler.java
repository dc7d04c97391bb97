package io.herald.cluster.link.client;

import io.herald.cluster.link.LinkRemoteException;
import io.herald.cluster.link.LinkUnavailableException;
import io.herald.cluster.link.wire.LinkError;
import io.herald.cluster.link.wire.LinkErrorCode;
import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkResponse;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the gateway's answers to the requests waiting for them, and fails every request still waiting when the
 * connection ends. Per connection: it holds that connection's {@link PendingRequests}.
 */
final class ResponseHandler extends SimpleChannelInboundHandler<LinkFrame> {
    private static final Logger log = LoggerFactory.getLogger(ResponseHandler.class);

    private final String gatewayId;
    private final PendingRequests pending;

    ResponseHandler(String gatewayId, PendingRequests pending) {
        this.gatewayId = gatewayId;
        this.pending = pending;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkFrame frame) {
        if (frame instanceof LinkResponse response) {
            if (!pending.complete(response)) {
                log.debug("gateway {}: answer to request {} came after it was given up", gatewayId,
                        response.requestId());
            }
        } else if (frame instanceof LinkError error && !error.isAboutConnection()) {
            pending.fail(error.requestId(), new LinkRemoteException(gatewayId, "gateway " + gatewayId
                    + " failed request " + error.requestId() + ": " + error.message()));
        } else if (frame instanceof LinkError error) {
            log.warn("gateway {} closes the link: {} {}", gatewayId, error.code(), error.message());
            ctx.close();
        } else {
            ctx.writeAndFlush(LinkError.ofConnection(LinkErrorCode.UNEXPECTED_FRAME, frame.type()
                    + " is not an answer")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.failAll(new LinkUnavailableException(gatewayId, "the link to gateway " + gatewayId
                + " closed before it answered"));
        ctx.fireChannelInactive();
    }
}
