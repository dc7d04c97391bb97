package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.store.MessageStatuses;
import io.herald.core.store.MessageStatuses.DeliveryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/messages/{id}}: what became of a QoS 1 message at each device it was pushed to (stored, acked,
 * expired), for a business backend that wants to know whether a command arrived. At most {@link #MAX_DEVICES}
 * devices are listed ({@code "truncated": true} says there are more); stored copies come first.
 */
final class MessageStatusRoutes {
    static final int MAX_DEVICES = 1000;

    /** One device's state; {@code at} is null, and so left out, while the message is stored. */
    record DeviceState(String clientId, String state, String at) {
    }

    record StatusResponse(String messageId, List<DeviceState> devices, boolean truncated) {
    }

    private final MessageStatuses statuses;

    MessageStatusRoutes(MessageStatuses statuses) {
        this.statuses = statuses;
    }

    void bind(ServerBuilder sb, AdminAuthorizer authorizer) {
        sb.route().get("/api/v1/messages/{id}").build(BlockingRoute.of(this::status).decorate(authorizer));
    }

    private HttpResponse status(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        String id = ctx.pathParam("id");
        long messageId = messageId(id);
        List<DeliveryStatus> found = statuses.of(messageId, MAX_DEVICES + 1);
        if (found.isEmpty()) {
            throw ApiException.messageNotFound(id);
        }
        List<DeviceState> devices = found.stream().limit(MAX_DEVICES).map(status -> new DeviceState(
                status.clientId(), status.state().name().toLowerCase(Locale.ROOT),
                status.atMillis() == 0 ? null : Instant.ofEpochMilli(status.atMillis()).toString())).toList();
        return Json.response(HttpStatus.OK, new StatusResponse(Long.toUnsignedString(messageId), devices,
                found.size() > MAX_DEVICES));
    }

    /** A message id as the push answered it: a decimal number below 2^63. */
    private static long messageId(String id) {
        if (id.isEmpty() || id.length() > 19 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.invalidRequest("a message id is the decimal number a push answered, was \""
                    + Texts.abbreviate(id) + "\"");
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("a message id is below 2^63, was " + id);
        }
    }
}
