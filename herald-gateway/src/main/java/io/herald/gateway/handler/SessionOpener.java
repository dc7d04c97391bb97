package io.herald.gateway.handler;

import io.herald.core.device.DeviceIdentity;
import io.herald.core.event.DisconnectReason;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.gateway.session.SessionManager;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.AuthFailFrame;
import io.netty.channel.Channel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What both authentication gates (Herald's AUTH, MQTT's CONNECT) do once the device's credential was checked: refuse
 * it (AUTH_FAIL, which MQTT turns into its CONNACK refusal), or bind the session, check the credential a second time
 * ({@link SessionManager#authenticated}) and, once AUTH_OK is out, take the gate and the auth timer out of the pipeline
 * and read again. Event loop.
 */
public final class SessionOpener {
    private final SessionManager sessions;
    private final Disconnector disconnector;
    private final GatewayMetrics metrics;

    public SessionOpener(SessionManager sessions, Disconnector disconnector, GatewayMetrics metrics) {
        this.sessions = sessions;
        this.disconnector = disconnector;
        this.metrics = metrics;
    }

    /**
     * @param identity      who the credential names; empty when it names nobody
     * @param error         the check failed (the store could not be asked): SERVER_BUSY, so the device tries again
     * @param stillValid    the second look at the credential, after the session is bound
     * @param discardStored an MQTT clean session: what is stored for the device is discarded, not delivered
     */
    public void open(Channel channel, DeviceSession session, Optional<DeviceIdentity> identity, Throwable error,
                     Supplier<CompletableFuture<Boolean>> stillValid, boolean discardStored) {
        if (!channel.isActive()) {
            return;
        }
        if (error != null) {
            metrics.authFailed();
            disconnector.protocolError(channel, ErrorCode.SERVER_BUSY, "could not check the credentials, try again");
            return;
        }
        if (identity.isEmpty()) {
            refuse(channel);
            return;
        }
        // Bound first, then the credential is checked again (the device may have been deleted meanwhile).
        sessions.authenticated(session, identity.get(), stillValid, discardStored).thenAccept(valid -> {
            if (!valid) {
                refuse(channel);
            } else if (channel.isActive()) {
                channel.pipeline().remove(HandlerNames.AUTH);
                channel.pipeline().remove(HandlerNames.AUTH_TIMEOUT);
                channel.pipeline().remove(HandlerNames.EXCEPTION); // the device stage answers them now
                session.resumeReading(ReadPause.Reason.AUTHENTICATING);
            }
        });
    }

    private void refuse(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        metrics.authFailed();
        disconnector.closeWith(channel, new AuthFailFrame(ErrorCode.INVALID_TOKEN,
                "token is unknown or expired; log in again"), "invalid token", DisconnectReason.PROTOCOL_ERROR);
    }
}
