package io.herald.gateway.handler;

import io.herald.gateway.limit.UpstreamAllowance;
import io.herald.gateway.limit.UpstreamRate;
import io.herald.gateway.limit.UpstreamRateLimiter;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each authenticated connection within its upstream rate, in front of the upstream handler ({@code next}). A
 * MESSAGE over the limit is not handled: a QoS 1 one is answered with ACK RETRY, so the device keeps it and sends it again
 * later (an ERROR frame would end the connection, and the SDK would reconnect and resend everything at once); a
 * QoS 0 one is dropped, as QoS 0 allows. A connection refused too often within the refusal window is closed with
 * ERROR RATE_LIMITED. Time comes from the event loop's ticker, so tests can move it.
 */
public final class UpstreamRateHandler implements FrameHandler<MessageFrame> {
    /** Header plus the fixed MESSAGE fields (id, content type, timestamp). */
    private static final int MESSAGE_FIXED_BYTES = Wire.HEADER_LENGTH + 8 + 1 + 8;

    private final UpstreamRateLimiter limiter;
    private final FrameHandler<MessageFrame> next;
    private final Disconnector disconnector;
    private final GatewayMetrics metrics;
    private final String retryReason;

    public UpstreamRateHandler(UpstreamRateLimiter limiter, FrameHandler<MessageFrame> next, Disconnector disconnector,
                               GatewayMetrics metrics) {
        this.limiter = limiter;
        this.next = next;
        this.disconnector = disconnector;
        this.metrics = metrics;
        this.retryReason = "rate limited (" + describe(limiter.rate()) + "); resend later";
    }

    /** {@code upstream} behind the limit of {@code rate}; {@code upstream} itself when the rate limits nothing. */
    public static FrameHandler<MessageFrame> inFrontOf(FrameHandler<MessageFrame> upstream, UpstreamRate rate,
                                                       Disconnector disconnector, GatewayMetrics metrics) {
        return rate.enabled()
                ? new UpstreamRateHandler(new UpstreamRateLimiter(rate), upstream, disconnector, metrics)
                : upstream;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, MessageFrame frame) {
        long now = ctx.executor().ticker().nanoTime();
        UpstreamAllowance allowance = DeviceSession.of(ctx.channel()).upstreamAllowance(now);
        switch (limiter.admit(allowance, wireSize(frame), now)) {
            case ACCEPT -> next.handle(ctx, frame);
            case REFUSE -> {
                metrics.upstreamRateRefused();
                if (frame.qos() == Qos.AT_LEAST_ONCE) {
                    ctx.channel().writeAndFlush(new AckFrame(frame.messageId(), AckStatus.RETRY, retryReason),
                            ctx.channel().voidPromise());
                }
            }
            case CLOSE -> {
                metrics.upstreamRateClosed();
                disconnector.protocolError(ctx.channel(), ErrorCode.RATE_LIMITED, "kept sending over the rate limit ("
                        + describe(limiter.rate()) + "): more than " + limiter.rate().maxRefusals()
                        + " messages refused within "
                        + TimeUnit.NANOSECONDS.toSeconds(UpstreamRateLimiter.REFUSAL_WINDOW_NANOS) + " s");
            }
        }
    }

    static int wireSize(MessageFrame frame) {
        int trace = frame.traceId() == null ? 0 : 1 + frame.traceId().length(); // trace ids are ASCII
        return MESSAGE_FIXED_BYTES + trace + frame.payload().length;
    }

    private static String describe(UpstreamRate rate) {
        String messages = rate.messagesPerSecond() == 0 ? "" : rate.messagesPerSecond() + " messages/s";
        String bytes = rate.bytesPerSecond() == 0 ? "" : rate.bytesPerSecond() + " bytes/s";
        return messages.isEmpty() || bytes.isEmpty() ? messages + bytes : messages + ", " + bytes;
    }
}
