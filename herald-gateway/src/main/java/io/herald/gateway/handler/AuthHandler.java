package io.herald.gateway.handler;

import io.herald.core.device.DeviceIdentity;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.gateway.session.SessionManager;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;

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
    private final SessionManager sessions;
    private final Disconnector disconnector;
    private final GatewayMetrics metrics;

    public AuthHandler(DeviceAuthenticator authenticator, SessionManager sessions, Disconnector disconnector,
                       GatewayMetrics metrics) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.disconnector = disconnector;
        this.metrics = metrics;
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
        session.readPause().pause(ReadPause.Reason.AUTHENTICATING);
        authenticator.authenticate(auth.token()).whenComplete((identity, error) ->
                ctx.executor().execute(() -> authenticated(ctx.channel(), session, auth.token(), identity, error)));
    }

    private void authenticated(Channel channel, DeviceSession session, String token,
                               Optional<DeviceIdentity> identity, Throwable error) {
        if (!channel.isActive()) {
            return;
        }
        if (error != null) {
            metrics.authFailed();
            disconnector.protocolError(channel, ErrorCode.SERVER_BUSY, "could not check the token, try again");
            return;
        }
        if (identity.isEmpty()) {
            refuse(channel);
            return;
        }
        // Bound first, then the token is checked again (the device may have been deleted meanwhile).
        sessions.authenticated(session, identity.get(), () -> authenticator.confirm(token)
                .thenApply(again -> again.equals(identity))).thenAccept(valid -> {
                    if (!valid) {
                        refuse(channel);
                    } else if (channel.isActive()) {
                        channel.pipeline().remove(HandlerNames.AUTH);
                        channel.pipeline().remove(HandlerNames.AUTH_TIMEOUT);
                        session.readPause().resume(ReadPause.Reason.AUTHENTICATING);
                    }
                });
    }

    private void refuse(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        metrics.authFailed();
        disconnector.closeWith(channel, new AuthFailFrame(ErrorCode.INVALID_TOKEN,
                "token is unknown or expired; log in again"), "invalid token");
    }
}
