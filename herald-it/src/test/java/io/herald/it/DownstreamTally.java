package io.herald.it;

import io.herald.client.ReceivedMessage;
import io.herald.it.SteadyPushes.Accepted;
import io.herald.it.TestDevices.Device;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What became of accepted pushes, as the devices' applications saw them: each accepted message id should reach
 * the listener of the device it was pushed to exactly once (the SDK drops redelivered copies itself).
 *
 * @param delivered accepted pushes their device's listener got
 * @param lost accepted pushes their device's listener never got
 * @param duplicates (device, message id) the listener got more than once, with how often
 */
record DownstreamTally(int accepted, int delivered, List<Accepted> lost, List<String> duplicates) {

    static DownstreamTally of(List<Accepted> accepted, List<Device> devices) {
        Map<Device, Map<Long, Integer>> received = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (Device device : devices) {
            Map<Long, Integer> copies = new HashMap<>();
            for (ReceivedMessage message : device.listener().messages) {
                copies.merge(message.messageId(), 1, Integer::sum);
            }
            copies.forEach((id, n) -> {
                if (n > 1) {
                    duplicates.add(device.clientId() + " got " + id + " " + n + " times");
                }
            });
            received.put(device, copies);
        }
        List<Accepted> lost = accepted.stream()
                .filter(a -> !received.get(a.device()).containsKey(Long.parseLong(a.messageId())))
                .toList();
        return new DownstreamTally(accepted.size(), accepted.size() - lost.size(), lost, duplicates);
    }

    /** (device, message id) pairs the listener got more than once. */
    int duplicateCount() {
        return duplicates.size();
    }
}
