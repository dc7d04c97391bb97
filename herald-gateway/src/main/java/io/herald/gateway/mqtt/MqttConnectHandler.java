package io.herald.gateway.mqtt;

import io.herald.core.device.ClientIds;
import io.herald.core.event.DisconnectReason;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.SessionOpener;
import io.herald.gateway.metrics.GatewayMetrics;
import io.herald.gateway.proxy.DeviceAddress;
import io.herald.gateway.session.DeviceSession;
import io.herald.gateway.session.ReadPause;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.frame.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT gate, in the place of the binary protocol's AUTH gate: a connection's first packet must be CONNECT (the
 * {@link MqttAdapter} in front closes one that starts otherwise). Its client id is the Herald client id, its password
 * the device's login token or secret ({@link MqttCredentials}); the user name is not used. CONNECT is refused with the
 * CONNACK code that says why: MQTT 3.1 (unacceptable protocol version), an invalid or empty client id (identifier
 * rejected: Herald assigns none), MQTT 5 enhanced authentication (bad authentication method), no password or a wrong
 * one (bad user name or password). Then the session opens exactly as for AUTH ({@link SessionOpener}): the same
 * takeover, the same second look at the credential; clean session (3.1.1) or clean start (5) discards what is stored
 * for the device. The keepalive becomes the connection's idle timeout (1.5 times it); MQTT 5 devices asking for none are
 * told the gateway's heartbeat (Server Keep Alive). An MQTT 5 device's Receive Maximum and Maximum Packet Size bound
 * its delivery queue ({@link MqttReceiveLimits}); a 0 in either is refused as a protocol error, as MQTT 5 says.
 */
@Sharable
final class MqttConnectHandler extends ChannelInboundHandlerAdapter {
    private final MqttCredentials credentials;
    private final SessionOpener opener;
    private final Disconnector disconnector;
    private final GatewayMetrics metrics;
    private final int heartbeatSeconds;

    MqttConnectHandler(MqttCredentials credentials, SessionOpener opener, Disconnector disconnector,
                       GatewayMetrics metrics, Duration heartbeat) {
        this.credentials = credentials;
        this.opener = opener;
        this.disconnector = disconnector;
        this.metrics = metrics;
        this.heartbeatSeconds = (int) Math.min(0xFFFF, Math.max(1, heartbeat.toSeconds()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttConnectMessage connect) {
            try {
                connect(ctx.channel(), connect);
            } finally {
                ReferenceCountUtil.release(connect);
            }
        } else if (msg instanceof Frame || msg instanceof MqttMessage) {
            ReferenceCountUtil.release(msg);
            disconnector.protocolError(ctx.channel(), ErrorCode.AUTH_REQUIRED, "the first packet must be CONNECT");
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void connect(Channel channel, MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        MqttConnection mqtt = MqttConnection.of(channel);
        MqttConnection.Will will = header.isWillFlag() ? will(header, payload) : null;
        mqtt.connected(version, header.isCleanSession(), problemInformation(header.properties()), will);
        if (mqtt5) {
            mqtt.requestedSessionExpiry(unsignedInt(header.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL));
        }
        DeviceSession session = DeviceSession.of(channel);
        String clientId = payload.clientIdentifier();
        MqttReceiveLimits receiveLimits = mqtt5 && clientId != null
                ? MqttReceiveLimits.of(header.properties(), clientId) : null;
        if (version == MqttVersion.MQTT_3_1) {
            refuse(channel, mqtt, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "MQTT 3.1 is not supported; use MQTT 3.1.1 or 5");
        } else if (clientId == null || !ClientIds.isValid(clientId)) {
            refuse(channel, mqtt, MqttReasons.clientIdRejected(mqtt5), clientId == null || clientId.isEmpty()
                    ? "the client id must be the device's Herald client id; the gateway assigns none"
                    : "invalid client id: " + ClientIds.problem(clientId));
        } else if (mqtt5 && header.properties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
            refuse(channel, mqtt, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "enhanced authentication is not supported; send the login token or device secret as password");
        } else if (mqtt5 && receiveLimits == null) {
            refuse(channel, mqtt, MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                    "Receive Maximum and Maximum Packet Size must not be 0");
        } else if (!header.hasPassword() || payload.passwordInBytes() == null) {
            refuse(channel, mqtt, MqttReasons.badCredentials(mqtt5),
                    "the password must be the device's login token or its secret");
        } else if (session.beginAuthentication()) {
            if (receiveLimits != null) {
                session.receiveLimits(receiveLimits); // read by the delivery queue the session gets
            }
            keepAlive(session, mqtt, header.keepAliveTimeSeconds());
            // Nothing more is read until the credential is checked: nothing may be processed for an unknown device.
            session.pauseReading(ReadPause.Reason.AUTHENTICATING);
            String password = new String(payload.passwordInBytes(), StandardCharsets.UTF_8);
            InetAddress source = DeviceAddress.ipOf(channel); // behind a trusted balancer: the device's own
            credentials.verify(clientId, password, source).whenComplete((verified, error) ->
                    channel.eventLoop().execute(() -> checked(channel, session, mqtt, verified, error)));
        }
    }

    private void checked(Channel channel, DeviceSession session, MqttConnection mqtt,
                         Optional<MqttCredentials.Verified> verified, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof MqttCredentials.Throttled throttled) {
            refuse(channel, mqtt, mqtt.isMqtt5() ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, throttled.getMessage());
            return;
        }
        opener.open(channel, session, verified == null ? Optional.empty()
                        : verified.map(MqttCredentials.Verified::identity), cause,
                () -> verified.get().stillValid().get(), mqtt.cleanSession());
    }

    private void keepAlive(DeviceSession session, MqttConnection mqtt, int seconds) {
        int effective = seconds;
        if (seconds == 0) {
            if (!mqtt.isMqtt5()) {
                return; // MQTT 3.1.1 cannot be told another: the gateway's idle timeout applies (docs/mqtt.md)
            }
            mqtt.serverKeepAlive(heartbeatSeconds);
            effective = heartbeatSeconds;
        }
        session.idleTimeoutNanos(TimeUnit.SECONDS.toNanos(effective) * 3 / 2); // MQTT: one and a half keepalives
    }

    private void refuse(Channel channel, MqttConnection mqtt, MqttConnectReturnCode code, String reason) {
        metrics.authFailed();
        disconnector.closeWith(channel, MqttOutbound.refused(code, reason, mqtt), "CONNECT refused, " + code + ": "
                + reason, DisconnectReason.PROTOCOL_ERROR);
    }

    /** The CONNECT's will; MQTT 5 adds its delay and content type as will properties. */
    private static MqttConnection.Will will(MqttConnectVariableHeader header, MqttConnectPayload payload) {
        MqttProperties properties = payload.willProperties() == null ? MqttProperties.NO_PROPERTIES
                : payload.willProperties();
        MqttProperties.MqttProperty<?> contentType = properties.getProperty(MqttProperties.CONTENT_TYPE);
        byte[] message = payload.willMessageInBytes();
        return MqttConnection.Will.of(payload.willTopic(), message == null ? new byte[0] : message, header.willQos(),
                header.isWillRetain(), unsignedInt(properties, MqttProperties.WILL_DELAY_INTERVAL),
                contentType == null ? null : (String) contentType.value());
    }

    /** A four-byte integer property (Netty hands it over as a signed int), 0 when absent. */
    private static long unsignedInt(MqttProperties properties, int id) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(id);
        return property != null && property.value() instanceof Integer value ? Integer.toUnsignedLong(value) : 0;
    }

    private static boolean problemInformation(MqttProperties properties) {
        MqttProperties.MqttProperty<?> request = properties.getProperty(MqttProperties.REQUEST_PROBLEM_INFORMATION);
        return request == null || !Integer.valueOf(0).equals(request.value());
    }
}
