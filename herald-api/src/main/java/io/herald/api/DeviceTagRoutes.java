package io.herald.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.device.DeviceTags;
import io.herald.core.device.Tags;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /api/v1/devices/{id}/tags}: replaces a device's tags, the groups a push with {@code "tag"} reaches.
 * The whole set is sent each time (no partial add or remove), so a retried PUT is harmless and two operators'
 * PUTs leave one of their sets, not a mix.
 */
final class DeviceTagRoutes {
    private static final Logger log = LoggerFactory.getLogger(DeviceTagRoutes.class);
    private static final Set<String> FIELDS = Set.of("tags");

    /** The device's tags after the change, sorted by character codes. */
    record TagsResponse(String clientId, List<String> tags) {
    }

    private final DeviceTags tags;

    DeviceTagRoutes(DeviceTags tags) {
        this.tags = tags;
    }

    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        sb.route().put("/api/v1/devices/{id}/tags").build(BlockingRoute.of(this::replace).decorate(authorizer));
    }

    private HttpResponse replace(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String clientId = DeviceAdminRoutes.clientId(ctx);
        SortedSet<String> wanted = tags(JsonRequest.parse(request, FIELDS));
        return LogScope.withClientId(clientId, () -> {
            if (!tags.replace(clientId, wanted)) {
                throw ApiException.deviceNotFound(clientId);
            }
            log.info("tags set: {}", wanted);
            return Json.response(HttpStatus.OK, new TagsResponse(clientId, List.copyOf(wanted)));
        });
    }

    private static SortedSet<String> tags(JsonRequest body) {
        JsonNode list = body.node("tags");
        if (list == null || !list.isArray()) {
            throw ApiException.invalidRequest("\"tags\" (a list of tags, [] for none) is required");
        }
        if (list.size() > Tags.MAX_PER_DEVICE) {
            throw ApiException.badRequest(ErrorCodes.INVALID_TAG, "tags names " + list.size()
                    + " tags; a device has at most " + Tags.MAX_PER_DEVICE);
        }
        SortedSet<String> tags = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode tag = list.get(i);
            String problem = tag.isTextual() ? Tags.problem(tag.textValue()) : "a tag must be a string";
            if (problem != null) {
                throw ApiException.badRequest(ErrorCodes.INVALID_TAG, "tags[" + i + "] is not valid: " + problem);
            }
            tags.add(tag.textValue());
        }
        return tags;
    }
}
