package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.device.ClientIds;
import io.herald.core.device.Device;
import io.herald.core.device.DeviceService;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/devices?prefix=&online=&limit=&cursor=}: registered devices in id order (character codes),
 * optionally only those whose id starts with {@code prefix} and those online (or offline), a page at a time. The
 * cursor is the last id the page looked at, encoded; the next page starts after it.
 *
 * <p>Devices are read from the store as a key range, and the sessions of a whole batch are looked up at once
 * ({@link SessionDirectory#findAll}). With the online filter, batches are read until the page is full, the range
 * ends or {@link #MAX_SCANNED} devices were read: a page may then be short, or even empty, with a cursor to go on.
 */
final class DeviceListRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Most devices one request reads while filtering by online state: bounds its work on a large, quiet fleet. */
    static final int MAX_SCANNED = 5_000;
    private static final int MIN_FILTER_BATCH = 100;

    /** Like {@code GET /api/v1/devices/{id}} without pendingMessages; the session fields only while online. */
    record DeviceItem(String clientId, String registeredAt, boolean online, String connectedAt, String transport,
                      String remoteAddress, String gateway, String sessionId) {
    }

    /** {@code nextCursor} is left out when the listing is complete. */
    record DeviceList(List<DeviceItem> devices, String nextCursor) {
    }

    private record Query(String prefix, Boolean online, int limit, String after) {
    }

    private final DeviceService devices;
    private final SessionDirectory sessions;

    DeviceListRoutes(ApiDependencies.Devices deps) {
        this.devices = deps.deviceService();
        this.sessions = deps.sessions();
    }

    void bind(ServerBuilder sb, ApiKeyAuthorizer authorizer) {
        sb.route().get("/api/v1/devices").build(BlockingRoute.of(this::list).decorate(authorizer));
    }

    private HttpResponse list(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Query query = new Query(prefix(ctx.queryParam("prefix")), online(ctx.queryParam("online")),
                QueryLimits.parse("limit", ctx.queryParam("limit"), DEFAULT_LIMIT, MAX_LIMIT),
                after(ctx.queryParam("cursor")));
        return Json.response(HttpStatus.OK, page(query));
    }

    private DeviceList page(Query query) {
        List<DeviceItem> page = new ArrayList<>();
        String after = query.after();
        int scanned = 0;
        while (true) {
            int batchSize = query.online() == null ? query.limit()
                    : Math.min(Math.min(MAX_LIMIT, Math.max(2 * query.limit(), MIN_FILTER_BATCH)),
                            MAX_SCANNED - scanned);
            List<Device> batch = devices.list(query.prefix(), after, batchSize);
            scanned += batch.size();
            Map<String, SessionInfo> online = sessions.findAll(batch.stream().map(Device::clientId).toList());
            for (Device device : batch) {
                after = device.clientId();
                SessionInfo session = online.get(device.clientId());
                if (query.online() == null || query.online() == (session != null)) {
                    page.add(item(device, session));
                    if (page.size() == query.limit()) {
                        return new DeviceList(page, cursor(after)); // more may follow
                    }
                }
            }
            if (batch.size() < batchSize) {
                return new DeviceList(page, null); // the range ended
            }
            if (scanned >= MAX_SCANNED) {
                return new DeviceList(page, cursor(after)); // this request's work is done: go on from here
            }
        }
    }

    private static DeviceItem item(Device device, SessionInfo session) {
        String registeredAt = device.createdAt().toString();
        if (session == null) {
            return new DeviceItem(device.clientId(), registeredAt, false, null, null, null, null, null);
        }
        return new DeviceItem(device.clientId(), registeredAt, true,
                session.connectedAt() == null ? null : session.connectedAt().toString(), session.transport(),
                session.remoteAddress(), session.gatewayId(), session.sessionId());
    }

    private static String prefix(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (!ClientIds.isValid(value)) {
            throw ApiException.invalidRequest("prefix may contain only letters, digits and . _ - : @ (at most "
                    + ClientIds.MAX_LENGTH + ")");
        }
        return value;
    }

    private static Boolean online(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.invalidRequest("online must be true or false");
        };
    }

    /** The cursor is the base64url of the last id looked at: opaque to clients, checked like an id here. */
    static String cursor(String clientId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(clientId.getBytes(StandardCharsets.US_ASCII));
    }

    private static String after(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String clientId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (ClientIds.isValid(clientId)) {
                return clientId;
            }
        } catch (IllegalArgumentException e) {
            // answered below, like a cursor that decodes to no id
        }
        throw ApiException.invalidRequest("cursor is not one this API returned");
    }
}
