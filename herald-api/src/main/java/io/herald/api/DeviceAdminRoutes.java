package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.device.ClientIds;
import io.herald.core.device.Device;
import io.herald.core.device.DeviceService;
import io.herald.core.device.DeviceTags;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import io.herald.core.store.OfflineStore;
import io.herald.core.store.UpstreamArchive;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operators' per-device endpoints under {@code /api/v1/devices/{id}}; all need the API key. */
final class DeviceAdminRoutes {
    private static final Logger log = LoggerFactory.getLogger(DeviceAdminRoutes.class);
    static final int DEFAULT_MESSAGE_LIMIT = 50;
    static final int MAX_MESSAGE_LIMIT = 1000;
    static final String KICK_REASON = "kicked by operator";
    static final String DELETE_REASON = "device deleted";
    static final String REVOKE_REASON = "tokens revoked by operator";

    /** The session fields are null (left out) while the device is offline; {@code tags} is sorted, [] for none. */
    record DeviceStatus(String clientId, String registeredAt, boolean online, String connectedAt, String transport,
                        String remoteAddress, String gateway, String sessionId, List<String> tags,
                        int pendingMessages) {
    }

    record KickResponse(String clientId, boolean kicked, boolean tokensRevoked) {
    }

    record MessagesResponse(String clientId, List<MessageJson> messages) {
    }

    /** Exactly one of {@code payload} (UTF-8 text types) and {@code payloadBase64} is set. */
    record MessageJson(String messageId, String contentType, String payload, String payloadBase64, String traceId,
                       String sentAt, String receivedAt) {
    }

    private final DeviceService devices;
    private final SessionDirectory sessions;
    private final OfflineStore offlineStore;
    private final UpstreamArchive archive;
    private final DeviceTags tags;
    private final Clock clock;

    DeviceAdminRoutes(ApiDependencies.Devices deps, Clock clock) {
        this.devices = deps.deviceService();
        this.sessions = deps.sessions();
        this.offlineStore = deps.offlineStore();
        this.archive = deps.upstreamArchive();
        this.tags = deps.tags();
        this.clock = clock;
    }

    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        sb.route().get("/api/v1/devices/{id}").build(BlockingRoute.of(this::status).decorate(authorizer));
        sb.route().delete("/api/v1/devices/{id}").build(BlockingRoute.of(this::delete).decorate(authorizer));
        sb.route().delete("/api/v1/devices/{id}/session").build(BlockingRoute.of(this::kick).decorate(authorizer));
        sb.route().delete("/api/v1/devices/{id}/tokens")
                .build(BlockingRoute.of(this::revokeTokens).decorate(authorizer));
        sb.route().get("/api/v1/devices/{id}/messages")
                .build(BlockingRoute.of(this::messages).decorate(authorizer));
    }

    private HttpResponse status(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String clientId = clientId(ctx);
        Device device = devices.find(clientId).orElseThrow(() -> ApiException.deviceNotFound(clientId));
        SessionInfo session = sessions.find(clientId).orElse(null);
        int pending = offlineStore.countPending(clientId, clock.millis());
        List<String> own = tags.tagsOf(List.of(clientId)).getOrDefault(clientId, List.of());
        DeviceStatus body = session == null
                ? new DeviceStatus(clientId, device.createdAt().toString(), false, null, null, null, null, null,
                        own, pending)
                : new DeviceStatus(clientId, device.createdAt().toString(), true,
                        session.connectedAt() == null ? null : session.connectedAt().toString(),
                        session.transport(), session.remoteAddress(), session.gatewayId(), session.sessionId(),
                        own, pending);
        return Json.response(HttpStatus.OK, body);
    }

    /** {@code ?revokeTokens=true} also revokes the device's tokens, before the kick, so it cannot reconnect. */
    private HttpResponse kick(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String clientId = clientId(ctx);
        boolean revoke = revokeTokensOption(ctx.queryParam("revokeTokens"));
        return LogScope.withClientId(clientId, () -> {
            if (revoke ? !devices.revokeTokens(clientId) : devices.find(clientId).isEmpty()) {
                throw ApiException.deviceNotFound(clientId);
            }
            boolean kicked = sessions.kick(clientId, KICK_REASON);
            log.info("operator kick: {}{}", kicked ? "session closed" : "device was not connected",
                    revoke ? ", tokens revoked" : "");
            return Json.response(HttpStatus.OK, new KickResponse(clientId, kicked, revoke));
        });
    }

    /**
     * Revokes every token of the device, then closes its session (in that order, as for a delete: a session whose
     * AUTH is being checked is either found by the kick or sees its token gone). The device may log in again with
     * its secret; to shut it out, delete it.
     */
    private HttpResponse revokeTokens(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String clientId = clientId(ctx);
        return LogScope.withClientId(clientId, () -> {
            if (!devices.revokeTokens(clientId)) {
                throw ApiException.deviceNotFound(clientId);
            }
            boolean kicked = sessions.kick(clientId, REVOKE_REASON);
            log.info("tokens revoked{}", kicked ? " and the session closed" : "");
            return HttpResponse.of(HttpStatus.NO_CONTENT);
        });
    }

    private static boolean revokeTokensOption(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.invalidRequest("revokeTokens must be true or false");
    }

    private HttpResponse delete(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String clientId = clientId(ctx);
        return LogScope.withClientId(clientId, () -> {
            // Delete first (which revokes the tokens), then kick: the device cannot log straight back in.
            if (!devices.delete(clientId)) {
                throw ApiException.deviceNotFound(clientId);
            }
            boolean kicked = sessions.kick(clientId, DELETE_REASON);
            log.info("device deleted{}", kicked ? " and its session closed" : "");
            return HttpResponse.of(HttpStatus.NO_CONTENT);
        });
    }

    private HttpResponse messages(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String clientId = clientId(ctx);
        int limit = limit(ctx.queryParam("limit"));
        Device device = devices.find(clientId).orElseThrow(() -> ApiException.deviceNotFound(clientId));
        // Only this registration's messages: an earlier owner of the id (deleted since) keeps its own.
        List<MessageJson> messages = archive.latest(clientId, device.generation(), limit).stream()
                .map(DeviceAdminRoutes::toJson)
                .toList();
        return Json.response(HttpStatus.OK, new MessagesResponse(clientId, messages));
    }

    private static MessageJson toJson(UpstreamMessage message) {
        // Text types are shown as text unless the device sent bytes that are not UTF-8, which JSON cannot carry.
        String text = message.contentType().isTextual() ? Texts.decodeUtf8(message.payload()) : null;
        String base64 = text == null ? Base64.getEncoder().encodeToString(message.payload()) : null;
        return new MessageJson(Long.toUnsignedString(message.messageId()), message.contentType().label(), text, base64,
                message.traceId(), Instant.ofEpochMilli(message.sentAt()).toString(),
                Instant.ofEpochMilli(message.receivedAt()).toString());
    }

    /** The {@code {id}} of the path, checked like a registered id. */
    static String clientId(ServiceRequestContext ctx) {
        String clientId = ctx.pathParam("id");
        String problem = ClientIds.problem(clientId);
        if (problem != null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_CLIENT_ID, problem);
        }
        return clientId;
    }

    static int limit(String value) {
        return QueryLimits.parse("limit", value, DEFAULT_MESSAGE_LIMIT, MAX_MESSAGE_LIMIT);
    }
}
