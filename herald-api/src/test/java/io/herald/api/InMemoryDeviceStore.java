package io.herald.api;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceStore;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** A DeviceStore in a map, for tests. */
final class InMemoryDeviceStore implements DeviceStore {
    private final Map<String, Device> devices = new ConcurrentHashMap<>();

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
    public long count() {
        return devices.size();
    }
}
