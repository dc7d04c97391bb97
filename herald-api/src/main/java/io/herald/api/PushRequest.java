package io.herald.api;

import io.herald.core.push.PushTargets;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.time.Duration;
import java.util.List;

/**
 * A validated push request.
 *
 * @param clientIds the distinct target ids in request order; null for a broadcast and for a tag not resolved yet
 * @param tag       the tag whose devices are the targets, or null
 */
record PushRequest(List<String> clientIds, String tag, ContentType contentType, Qos qos, byte[] payload,
                   Duration ttl) {

    boolean isBroadcast() {
        return clientIds == null && tag == null;
    }

    /** This push to the devices found with its tag. */
    PushRequest toDevices(List<String> tagged) {
        return new PushRequest(List.copyOf(tagged), tag, contentType, qos, payload, ttl);
    }

    PushTargets targets() {
        return isBroadcast() ? PushTargets.broadcast() : PushTargets.devices(clientIds);
    }

    ApiMetrics.PushKind kind() {
        if (isBroadcast()) {
            return ApiMetrics.PushKind.BROADCAST;
        }
        return tag != null ? ApiMetrics.PushKind.TAG : ApiMetrics.PushKind.DEVICES;
    }

    /** The target when there is exactly one, for the log context; null otherwise. */
    String singleClientId() {
        return clientIds != null && clientIds.size() == 1 ? clientIds.get(0) : null;
    }

    @Override
    public String toString() {
        String targets = isBroadcast() ? "broadcast"
                : (tag != null ? "tag " + tag + ", " : "") + (clientIds == null ? "unresolved" : clientIds.size() + " targets");
        return "PushRequest[" + targets + ", type="
                + contentType.label() + ", qos=" + qos.level() + ", bytes=" + payload.length + ", ttl=" + ttl + "]";
    }
}
