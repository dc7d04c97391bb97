package io.herald.gateway.handler;

import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.Frame;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The gate: before authentication only AUTH passes (anything else is AUTH_REQUIRED and a close). While a
 * token is being checked, reading pauses: a device must wait for AUTH_OK. Once the device is authenticated
 * the gate and the auth timer leave the pipeline, which saves their per-connection context (memory counts at
 * tens of thousands of connections) and a hop for every later frame; a second AUTH then reaches
 * {@link UnexpectedFrameHandler}, which answers ALREADY_AUTHENTICATED.
 */
@Sharable
public final class AuthHandler extends ChannelInboundHandlerAdapter {
    private final DeviceAuthenticator authenticator;
    private final SessionOpener opener;
    private final Disconnector disconnector;

    public AuthHandler(DeviceAuthenticator authenticator, SessionOpener opener, Disconnector disconnector) {
        this.authenticator = authenticator;
        this.opener = opener;
        this.disconnector = disconnector;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DeviceSession session = DeviceSession.of(ctx.channel());
        if (!(frame instanceof AuthFrame auth)) {
            disconnector.protocolError(ctx.channel(), ErrorCode.AUTH_REQUIRED,
                    "the first frame must be AUTH, got " + frame.type());
            return;
        }
        if (!session.beginAuthentication()) {
            disconnector.protocolError(ctx.channel(), ErrorCode.AUTH_REQUIRED,
                    "a token is already being checked; wait for AUTH_OK");
            return;
        }
        // Stop reading until the token is checked: nothing may be processed for an unknown device.
        session.pauseReading(ReadPause.Reason.AUTHENTICATING);
        String token = auth.token();
        authenticator.authenticate(token).whenComplete((identity, error) -> ctx.executor().execute(() ->
                opener.open(ctx.channel(), session, identity, error, () -> authenticator.confirm(token)
                        .thenApply(again -> again.equals(identity)), false)));
    }
}
