package io.herald.core.memory;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceStore;
import io.herald.core.device.DeviceTags;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Device tags in process memory, for the devices of a {@link DeviceStore}: for tests and tools. */
public final class InMemoryDeviceTags implements DeviceTags {
    private final DeviceStore devices;
    private final Map<String, SortedSet<String>> byDevice = new ConcurrentHashMap<>();

    public InMemoryDeviceTags(DeviceStore devices) {
        this.devices = devices;
    }

    @Override
    public boolean replace(String clientId, SortedSet<String> tags) {
        if (devices.find(clientId).isEmpty()) {
            return false;
        }
        if (tags.isEmpty()) {
            byDevice.remove(clientId);
        } else {
            byDevice.put(clientId, new TreeSet<>(tags));
        }
        return true;
    }

    @Override
    public Map<String, List<String>> tagsOf(Collection<String> clientIds) {
        Map<String, List<String>> tags = new HashMap<>();
        for (String clientId : clientIds) {
            SortedSet<String> own = byDevice.get(clientId);
            if (own != null && devices.find(clientId).isPresent()) {
                tags.put(clientId, List.copyOf(own));
            }
        }
        return tags;
    }

    @Override
    public List<String> devicesWithTag(String tag, int limit) {
        return byDevice.entrySet().stream()
                .filter(entry -> entry.getValue().contains(tag) && devices.find(entry.getKey()).isPresent())
                .map(Map.Entry::getKey).limit(limit).toList();
    }

    @Override
    public List<Device> listTagged(String tag, String prefix, String after, int limit) {
        return byDevice.entrySet().stream()
                .filter(entry -> entry.getValue().contains(tag) && entry.getKey().startsWith(prefix)
                        && (after == null || entry.getKey().compareTo(after) > 0))
                .map(Map.Entry::getKey).sorted()
                .flatMap(clientId -> devices.find(clientId).stream()).limit(limit).toList();
    }
}
