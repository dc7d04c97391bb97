package io.herald.gateway.mqtt;

import java.util.HashMap;
import java.util.Map;

/**
 * MQTT packet identifiers (16 bits, 1 to 65,535) of the QoS 1 pushes in flight to one device, for Herald's 64-bit
 * message ids. A resend of a message reuses its packet id, as MQTT requires (with the DUP flag); PUBACK frees it.
 * Holds at most the gateway's in-flight window ({@code --max-inflight}) of entries, as delivery never has more
 * unacked. Event loop only.
 */
final class PacketIds {
    private static final int MAX_PACKET_ID = 0xFFFF;

    private final Map<Long, Integer> byMessage = new HashMap<>();
    private final Map<Integer, Long> byPacket = new HashMap<>();
    private int next = 1;

    /** The packet id the message goes out with: the one it had if sent before, else a free one. */
    int packetIdFor(long messageId) {
        Integer known = byMessage.get(messageId);
        if (known != null) {
            return known;
        }
        if (byPacket.size() >= MAX_PACKET_ID) {
            throw new IllegalStateException("all 65,535 MQTT packet ids are in flight");
        }
        while (byPacket.containsKey(next)) {
            next = next == MAX_PACKET_ID ? 1 : next + 1;
        }
        int id = next;
        next = next == MAX_PACKET_ID ? 1 : next + 1;
        byMessage.put(messageId, id);
        byPacket.put(id, messageId);
        return id;
    }

    /** The message a PUBACK answers, which frees its packet id; null for an id not in flight. */
    Long acked(int packetId) {
        Long messageId = byPacket.remove(packetId);
        if (messageId != null) {
            byMessage.remove(messageId);
        }
        return messageId;
    }

    int inFlight() {
        return byPacket.size();
    }
}
