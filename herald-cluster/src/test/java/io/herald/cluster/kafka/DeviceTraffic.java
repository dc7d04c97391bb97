package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream messages as a fleet of devices would send them: each client numbers its messages 1, 2, 3, ... and
 * every field is derived from (client, message id), so any copy can be checked against its original.
 */
final class DeviceTraffic {
    private static final ContentType[] TYPES = ContentType.values();
    private static final long EPOCH_MS = 1_767_225_600_000L;

    private DeviceTraffic() {
    }

    static String clientId(int client) {
        return "device-" + client;
    }

    static UpstreamMessage message(String clientId, long messageId) {
        int type = Math.floorMod(clientId.hashCode() + messageId, TYPES.length);
        byte[] payload = ("{\"client\":\"" + clientId + "\",\"n\":" + messageId + "}")
                .getBytes(StandardCharsets.UTF_8);
        // Every seventh message has no trace id, as from a device that sends none.
        String traceId = messageId % 7 == 0 ? null : "trace-" + clientId + "-" + messageId;
        long sentAt = EPOCH_MS + messageId * 1_000;
        return new UpstreamMessage(clientId, GENERATION, messageId, TYPES[type], payload, traceId, sentAt, sentAt + 15);
    }

    /** The registration generation every simulated device sends under. */
    static final long GENERATION = 0x5eed;

    /** Messages {@code 1..perClient} of each client in {@code clients}, interleaved as they would arrive. */
    static List<UpstreamMessage> interleaved(List<String> clients, int perClient) {
        List<UpstreamMessage> messages = new ArrayList<>(clients.size() * perClient);
        for (long id = 1; id <= perClient; id++) {
            for (String client : clients) {
                messages.add(message(client, id));
            }
        }
        return messages;
    }
}
