package io.herald.gateway.handler;

import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.DeviceSession;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.ErrorFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the gateway ends a connection on purpose: log why, count it, send the device a last frame
 * (ERROR, AUTH_FAIL or NOTICE) and close once it is written.
 */
public final class Disconnector {
    private static final Logger log = LoggerFactory.getLogger("herald.event.disconnect");

    private final GatewayMetrics metrics;

    public Disconnector(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Sends ERROR(code, reason) and closes. */
    public void protocolError(Channel channel, ErrorCode code, String reason) {
        metrics.protocolError(code);
        closeWith(channel, new ErrorFrame(code, reason), code + ": " + reason);
    }

    /**
     * Sends the frame (AUTH_FAIL, NOTICE, ...) and closes. {@code lastFrame} may also be an HTTP response, for a
     * WebSocket connection refused before its upgrade.
     */
    public void closeWith(Channel channel, Object lastFrame, String why) {
        DeviceSession session = DeviceSession.of(channel);
        log.info("{} closing: {}", session != null ? session.logPrefix() : channel, why);
        if (channel.isActive()) {
            channel.config().setAutoRead(false); // nothing more is read from a connection being closed
            channel.writeAndFlush(lastFrame).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
