package io.herald.gateway.handler;

import io.netty.channel.ChannelHandlerContext;

/**
 * What the gateway does with one kind of inbound frame from an authenticated device. Not a pipeline stage: the one
 * {@link DeviceFrameDispatcher} per pipeline calls it, so a new frame type costs a class, not a handler context per
 * connection. Called on the channel's event loop; {@code ctx} is the dispatcher's, so what it writes passes the
 * encoder like any answer.
 */
@FunctionalInterface
public interface FrameHandler<F> {
    void handle(ChannelHandlerContext ctx, F frame);
}
