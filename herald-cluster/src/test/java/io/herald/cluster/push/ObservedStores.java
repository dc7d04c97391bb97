package io.herald.cluster.push;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceStore;
import io.herald.core.message.PushMessage;
import io.herald.core.store.OfflineStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's in-memory stores as the push service sees them, noting the thread of every blocking call it makes
 * and able to run an action while {@link DeviceStore#existing} is under way (to let a device connect "meanwhile").
 */
final class ObservedStores {
    private final PushCluster cluster;
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private volatile Runnable duringExisting = () -> { };
    private final AtomicInteger existingCalls = new AtomicInteger();

    ObservedStores(PushCluster cluster) {
        this.cluster = cluster;
    }

    /** The names of the threads the push service called the stores on. */
    List<String> threads() {
        return threads;
    }

    /** How many times the push service asked the device store which ids are registered. */
    int existingCalls() {
        return existingCalls.get();
    }

    void duringExisting(Runnable action) {
        duringExisting = action;
    }

    DeviceStore devices() {
        return new DeviceStore() {
            @Override
            public Set<String> existing(Collection<String> clientIds) {
                threads.add(Thread.currentThread().getName());
                existingCalls.incrementAndGet();
                duringExisting.run();
                return cluster.devices().existing(clientIds);
            }

            @Override
            public Optional<Device> find(String clientId) {
                return cluster.devices().find(clientId);
            }

            @Override
            public boolean insert(Device device) {
                return cluster.devices().insert(device);
            }

            @Override
            public boolean delete(String clientId) {
                return cluster.devices().delete(clientId);
            }

            @Override
            public long count() {
                return cluster.devices().count();
            }

            @Override
            public List<Device> list(String prefix, String after, int limit) {
                return cluster.devices().list(prefix, after, limit);
            }
        };
    }

    OfflineStore offlineStore() {
        return new OfflineStore() {
            @Override
            public void store(Collection<String> clientIds, PushMessage message) {
                threads.add(Thread.currentThread().getName());
                cluster.offlineStore().store(clientIds, message);
            }

            @Override
            public List<PushMessage> pending(String clientId, long nowMillis, int limit) {
                return cluster.offlineStore().pending(clientId, nowMillis, limit);
            }

            @Override
            public boolean remove(String clientId, long messageId) {
                return cluster.offlineStore().remove(clientId, messageId);
            }

            @Override
            public int countPending(String clientId, long nowMillis) {
                return cluster.offlineStore().countPending(clientId, nowMillis);
            }

            @Override
            public List<String> holders(long messageId, int limit) {
                return cluster.offlineStore().holders(messageId, limit);
            }

            @Override
            public int purgeExpired(long nowMillis, ExpiredCopies expired) {
                return cluster.offlineStore().purgeExpired(nowMillis, expired);
            }
        };
    }
}
