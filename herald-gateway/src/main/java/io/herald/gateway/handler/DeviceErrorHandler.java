package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.LoggableText;
import io.herald.gateway.session.ReadPause;
import io.herald.protocol.frame.ErrorFrame;
import io.netty.channel.ChannelHandlerContext;

/**
 * A device may send ERROR before it closes (for example when it received bytes it cannot decode), before or after
 * AUTH: the gateway logs the device's code and reason and closes the connection without answering. The dispatcher,
 * which sits in front of the auth gate, calls it for every ERROR, so that an unauthenticated device's ERROR is not
 * mistaken for a frame sent too early; one sent while its AUTH is being checked is (the device must wait for AUTH_OK),
 * and is passed on to the gate, which refuses it.
 */
public final class DeviceErrorHandler implements FrameHandler<ErrorFrame> {
    private final Disconnector disconnector;

    public DeviceErrorHandler(Disconnector disconnector) {
        this.disconnector = disconnector;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, ErrorFrame error) {
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (session.isReadingPaused(ReadPause.Reason.AUTHENTICATING)) {
            ctx.fireChannelRead(error); // sent while its token is checked: refused like any frame then (AUTH gate)
            return;
        }
        if (session.isReadingPaused(ReadPause.Reason.CLOSING)) {
            return; // the gateway is closing it already, with its own last frame
        }
        disconnector.closeQuietly(ctx.channel(), "the device sent ERROR " + error.code() + " ("
                + LoggableText.of(error.reason()) + ")");
    }
}
