package io.herald.gateway.handler;

import io.herald.core.event.DisconnectReason;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.ErrorFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the gateway ends a connection on purpose: log why, count it, send the device a last frame
 * (ERROR, AUTH_FAIL or NOTICE) and close once it is written. A device that does not read would hold that last
 * frame (and the connection) for ever, so the close happens after {@link #LAST_FRAME_GRACE} at the latest. The
 * reason is kept on the session ({@link DeviceSession#closeReason}) for its {@code device.disconnected} event.
 */
public final class Disconnector {
    private static final Logger log = LoggerFactory.getLogger("herald.event.disconnect");

    /** How long a closing connection's last frame may wait for a device that does not read. */
    public static final Duration LAST_FRAME_GRACE = Duration.ofSeconds(5);

    private final GatewayMetrics metrics;

    public Disconnector(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Sends ERROR(code, reason) and closes. */
    public void protocolError(Channel channel, ErrorCode code, String reason) {
        metrics.protocolError(code);
        closeWith(channel, new ErrorFrame(code, reason), code + ": " + reason, reasonOf(code));
    }

    private static DisconnectReason reasonOf(ErrorCode code) {
        return switch (code) {
            case IDLE_TIMEOUT -> DisconnectReason.HEARTBEAT_TIMEOUT;
            case ACK_TIMEOUT -> DisconnectReason.ACK_TIMEOUT;
            case RATE_LIMITED -> DisconnectReason.RATE_LIMITED;
            case SERVER_BUSY, GATEWAY_FULL -> DisconnectReason.SERVER_BUSY;
            case INTERNAL_ERROR -> DisconnectReason.SERVER_ERROR;
            default -> DisconnectReason.PROTOCOL_ERROR;
        };
    }

    /** Closes without a last frame (the device ended the connection itself, with an ERROR). */
    public void closeQuietly(Channel channel, String why) {
        DeviceSession session = DeviceSession.of(channel);
        log.info("{} closing: {}", session != null ? session.logPrefix() : channel, why);
        if (session != null) {
            session.closeReason(DisconnectReason.CLIENT_CLOSED);
        }
        channel.close();
    }

    /**
     * Sends the frame (AUTH_FAIL, NOTICE, ...) and closes. {@code lastFrame} may also be an HTTP response, for a
     * WebSocket connection refused before its upgrade.
     */
    public void closeWith(Channel channel, Object lastFrame, String why, DisconnectReason reason) {
        if (!channel.eventLoop().inEventLoop()) { // a kick or a drain, from another thread
            channel.eventLoop().execute(() -> closeWith(channel, lastFrame, why, reason));
            return;
        }
        DeviceSession session = DeviceSession.of(channel);
        log.info("{} closing: {}", session != null ? session.logPrefix() : channel, why);
        if (session != null) {
            session.closeReason(reason);
        }
        if (channel.isActive()) {
            // nothing more is read from a connection being closed
            if (session != null) {
                session.pauseReading(ReadPause.Reason.CLOSING);
            } else {
                channel.config().setAutoRead(false);
            }
            channel.writeAndFlush(lastFrame).addListener(ChannelFutureListener.CLOSE);
            ScheduledFuture<?> forced = channel.eventLoop().schedule(() -> channel.close(),
                    LAST_FRAME_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(closed -> forced.cancel(false));
        } else {
            channel.close();
        }
    }
}
