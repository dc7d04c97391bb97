package io.herald.core.memory;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/** Devices in process memory: for tests and tools that need no persistence. */
public final class InMemoryDeviceStore implements DeviceStore {
    /** Sorted, so listing is a range scan as in the database (String order is character-code order). */
    private final ConcurrentNavigableMap<String, Device> devices = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Device> find(String clientId) {
        return Optional.ofNullable(devices.get(clientId));
    }

    @Override
    public boolean insert(Device device) {
        return devices.putIfAbsent(device.clientId(), device) == null;
    }

    @Override
    public boolean delete(String clientId) {
        return devices.remove(clientId) != null;
    }

    @Override
    public Set<String> existing(Collection<String> clientIds) {
        return clientIds.stream().filter(devices::containsKey).collect(Collectors.toSet());
    }

    @Override
    public List<Device> list(String prefix, String after, int limit) {
        ConcurrentNavigableMap<String, Device> range = after == null || after.compareTo(prefix) < 0
                ? devices.tailMap(prefix, true) : devices.tailMap(after, false);
        return range.values().stream().takeWhile(device -> device.clientId().startsWith(prefix))
                .limit(limit).toList();
    }

    @Override
    public long count() {
        return devices.size();
    }
}
