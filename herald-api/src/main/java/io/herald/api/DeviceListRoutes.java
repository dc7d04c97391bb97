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
import io.herald.core.device.Tags;
import io.herald.core.session.SessionDirectory;
import io.herald.core.session.SessionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/devices?prefix=&tag=&online=&limit=&cursor=}: registered devices in id order (character codes),
 * optionally only those whose id starts with {@code prefix}, those with the tag {@code tag} (a group), and those online
 * (or offline), a page at a time. The cursor is the last id the page looked at, encoded; the next page starts after
 * it.
 *
 * <p>Devices are read from the store as a key range (with a tag, from the tag's index: {@link DeviceTags#listTagged}), and the sessions of a whole batch are looked up at once
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
                      String remoteAddress, String gateway, String sessionId, List<String> tags) {
    }

    /** A device of the page before its tags are read (once, for the whole page). */
    private record Listed(Device device, SessionInfo session) {
    }

    /** {@code nextCursor} is left out when the listing is complete. */
    record DeviceList(List<DeviceItem> devices, String nextCursor) {
    }

    private record Query(String prefix, String tag, Boolean online, int limit, String after) {
    }

    private final DeviceService devices;
    private final SessionDirectory sessions;
    private final DeviceTags tags;

    DeviceListRoutes(ApiDependencies.Devices deps) {
        this.devices = deps.deviceService();
        this.sessions = deps.sessions();
        this.tags = deps.tags();
    }

    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        sb.route().get("/api/v1/devices").build(BlockingRoute.of(this::list).decorate(authorizer));
    }

    private HttpResponse list(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Query query = new Query(prefix(ctx.queryParam("prefix")), tag(ctx.queryParam("tag")),
                online(ctx.queryParam("online")),
                QueryLimits.parse("limit", ctx.queryParam("limit"), DEFAULT_LIMIT, MAX_LIMIT),
                after(ctx.queryParam("cursor")));
        return Json.response(HttpStatus.OK, page(query));
    }

    private DeviceList page(Query query) {
        List<Listed> page = new ArrayList<>();
        String after = query.after();
        int scanned = 0;
        while (true) {
            int batchSize = query.online() == null ? query.limit()
                    : Math.min(Math.min(MAX_LIMIT, Math.max(2 * query.limit(), MIN_FILTER_BATCH)),
                            MAX_SCANNED - scanned);
            List<Device> batch = query.tag() == null ? devices.list(query.prefix(), after, batchSize)
                    : tags.listTagged(query.tag(), query.prefix(), after, batchSize);
            scanned += batch.size();
            Map<String, SessionInfo> online = sessions.findAll(batch.stream().map(Device::clientId).toList());
            for (Device device : batch) {
                after = device.clientId();
                SessionInfo session = online.get(device.clientId());
                if (query.online() == null || query.online() == (session != null)) {
                    page.add(new Listed(device, session));
                    if (page.size() == query.limit()) {
                        return list(page, cursor(after)); // more may follow
                    }
                }
            }
            if (batch.size() < batchSize) {
                return list(page, null); // the range ended
            }
            if (scanned >= MAX_SCANNED) {
                return list(page, cursor(after)); // this request's work is done: go on from here
            }
        }
    }

    /** The page's items, with the tags of all its devices read in one query. */
    private DeviceList list(List<Listed> page, String nextCursor) {
        Map<String, List<String>> tagged = tags.tagsOf(page.stream().map(listed -> listed.device().clientId())
                .toList());
        List<DeviceItem> items = new ArrayList<>(page.size());
        for (Listed listed : page) {
            items.add(item(listed.device(), listed.session(),
                    tagged.getOrDefault(listed.device().clientId(), List.of())));
        }
        return new DeviceList(items, nextCursor);
    }

    private static DeviceItem item(Device device, SessionInfo session, List<String> tags) {
        String registeredAt = device.createdAt().toString();
        if (session == null) {
            return new DeviceItem(device.clientId(), registeredAt, false, null, null, null, null, null, tags);
        }
        return new DeviceItem(device.clientId(), registeredAt, true,
                session.connectedAt() == null ? null : session.connectedAt().toString(), session.transport(),
                session.remoteAddress(), session.gatewayId(), session.sessionId(), tags);
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

    /** Null when absent; an invalid tag is refused as in a push ({@code invalid_tag}). */
    private static String tag(String value) {
        if (value == null) {
            return null;
        }
        String problem = Tags.problem(value);
        if (problem != null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_TAG, "tag is not valid: " + problem);
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
