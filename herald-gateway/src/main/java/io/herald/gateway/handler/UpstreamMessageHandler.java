package io.herald.gateway.handler;

import io.herald.core.message.UpstreamMessage;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.gateway.upstream.UpstreamDispatcher;
import io.herald.gateway.upstream.UpstreamDispatcher.Outcome;
import io.herald.protocol.AckStatus;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.time.Clock;

/**
 * A device sent a message up: hand it to the handlers (after the device's previous message, keeping its order)
 * and, for QoS 1, ACK with the outcome once they are done. The client id is always the authenticated one.
 * When too many of one connection's messages are in handling, reading from it pauses (back-pressure through
 * TCP) until they drain to half.
 */
public final class UpstreamMessageHandler implements FrameHandler<MessageFrame> {
    private final UpstreamDispatcher dispatcher;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final int maxPending;

    public UpstreamMessageHandler(UpstreamDispatcher dispatcher, GatewayMetrics metrics, Clock clock, int maxPending) {
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, MessageFrame frame) {
        Channel channel = ctx.channel();
        DeviceSession session = DeviceSession.of(channel);
        UpstreamMessage message = new UpstreamMessage(session.clientId(), session.generation(), frame.messageId(),
                frame.contentType(), frame.payload(), frame.traceId(), frame.timestamp(), clock.millis());
        if (session.upstreamStarted() >= maxPending) {
            session.pauseReading(ReadPause.Reason.UPSTREAM_BACKLOG);
        }
        session.afterPreviousUpstream(() -> dispatcher.dispatch(message)).whenComplete((outcome, error) ->
                channel.eventLoop().execute(() -> finished(channel, session, frame, outcome)));
    }

    private void finished(Channel channel, DeviceSession session, MessageFrame frame, Outcome outcome) {
        AckStatus status = outcome == null ? AckStatus.RETRY : outcome.status();
        switch (status) {
            case OK -> metrics.upstreamAccepted();
            case REJECTED -> metrics.upstreamRejected();
            case RETRY -> metrics.upstreamRetry();
        }
        if (frame.qos() == Qos.AT_LEAST_ONCE && channel.isActive()) {
            String reason = outcome == null ? "temporary failure, resend later" : outcome.reason();
            AckFlusher.write(channel, new AckFrame(frame.messageId(), status, reason));
        }
        if (session.upstreamFinished() <= maxPending / 2
                && session.isReadingPaused(ReadPause.Reason.UPSTREAM_BACKLOG)) {
            session.resumeReading(ReadPause.Reason.UPSTREAM_BACKLOG);
        }
    }
}
