package io.herald.gateway.handler;

import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.PingFrame;
import io.netty.channel.ChannelHandlerContext;

/**
 * Every decoded frame, as the {@link DeviceStage} reads it: counts it, then hands it to the {@link FrameHandler} of its
 * type. Called from that one stage instead of a stage per frame type because each stage costs a handler context per
 * connection (64 bytes each, tens of thousands of connections per gateway) and a hop per frame; the logic per type
 * stays in its own class.
 *
 * <p>Its stage sits in front of the auth gate ({@link AuthHandler}). Malformed input and a device's ERROR are handled here
 * before and after AUTH alike. Any other frame goes on to the gate until the device is past it (authenticated and
 * its AUTH_OK out, when the gate has left the pipeline), and is dispatched by type from then on.
 */
public final class DeviceFrameDispatcher {
    private final GatewayMetrics metrics;
    private final Handlers handlers;

    /**
     * The logic per inbound frame type.
     *
     * @param upstream MESSAGE, with the upstream rate limit in front when it is on
     * @param unexpected every type a device must not send once authenticated (a second AUTH, PONG, NOTICE, ...)
     */
    public record Handlers(FrameHandler<DecodeFailure> decodeFailure, FrameHandler<ErrorFrame> deviceError,
                           FrameHandler<PingFrame> ping, FrameHandler<MessageFrame> upstream,
                           FrameHandler<AckFrame> downstreamAck, FrameHandler<Frame> unexpected) {
    }

    public DeviceFrameDispatcher(GatewayMetrics metrics, Handlers handlers) {
        this.metrics = metrics;
        this.handlers = handlers;
    }

    /** {@code msg} was read on the stage of {@code ctx}: what is not a frame goes on down the pipeline. */
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Frame frame) {
            metrics.frameIn(frame.type());
            dispatch(ctx, frame);
        } else if (msg instanceof DecodeFailure failure) {
            handlers.decodeFailure().handle(ctx, failure);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof ErrorFrame error) {
            handlers.deviceError().handle(ctx, error);
            return;
        }
        if (!DeviceSession.of(ctx.channel()).isPastAuthGate()) {
            ctx.fireChannelRead(frame); // the gate decides: AUTH, or AUTH_REQUIRED and a close
            return;
        }
        switch (frame.type()) {
            case PING -> handlers.ping().handle(ctx, (PingFrame) frame);
            case MESSAGE -> handlers.upstream().handle(ctx, (MessageFrame) frame);
            case ACK -> handlers.downstreamAck().handle(ctx, (AckFrame) frame);
            default -> handlers.unexpected().handle(ctx, frame);
        }
    }
}
