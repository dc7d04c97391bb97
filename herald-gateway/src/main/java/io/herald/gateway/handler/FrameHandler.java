package io.herald.gateway.handler;

import io.netty.channel.ChannelHandlerContext;

/**
 * What the gateway does with one kind of inbound frame from an authenticated device. Not a pipeline stage: the one
 * {@link DeviceFrameDispatcher} per pipeline calls it, so a new frame type costs a class, not a handler context per
 * connection. Called on the channel's event loop; {@code ctx} is the {@link DeviceStage}'s, which also encodes frames
 * out: answers are written to {@code ctx.channel()} (from the tail, through that stage), never to {@code ctx} itself,
 * which would pass them on unencoded.
 */
@FunctionalInterface
public interface FrameHandler<F> {
    void handle(ChannelHandlerContext ctx, F frame);
}
