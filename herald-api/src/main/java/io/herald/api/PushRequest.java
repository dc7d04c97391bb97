package io.herald.api;

import io.herald.core.push.PushTargets;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.time.Duration;
import java.util.List;

/**
 * A validated push request.
 *
 * @param clientIds the distinct target ids in request order; null for a broadcast
 */
record PushRequest(List<String> clientIds, ContentType contentType, Qos qos, byte[] payload, Duration ttl) {

    boolean isBroadcast() {
        return clientIds == null;
    }

    PushTargets targets() {
        return isBroadcast() ? PushTargets.broadcast() : PushTargets.devices(clientIds);
    }

    ApiMetrics.PushKind kind() {
        return isBroadcast() ? ApiMetrics.PushKind.BROADCAST : ApiMetrics.PushKind.DEVICES;
    }

    /** The target when there is exactly one, for the log context; null otherwise. */
    String singleClientId() {
        return clientIds != null && clientIds.size() == 1 ? clientIds.get(0) : null;
    }

    @Override
    public String toString() {
        return "PushRequest[" + (isBroadcast() ? "broadcast" : clientIds.size() + " targets") + ", type="
                + contentType.label() + ", qos=" + qos.level() + ", bytes=" + payload.length + ", ttl=" + ttl + "]";
    }
}
