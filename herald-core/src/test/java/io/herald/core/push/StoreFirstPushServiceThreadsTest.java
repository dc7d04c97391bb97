package io.herald.core.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.message.PushMessage;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread queues the QoS 1 stores: the caller's only for a locator that answers on it (in-process); a remote
 * locator whose answer is ready by the time it is looked at (a fast Redis) must not move the store onto the caller.
 */
class StoreFirstPushServiceThreadsTest {
    private static final String BLOCKING = "test-blocking";
    private final ExecutorService blocking = Executors.newSingleThreadExecutor(task -> new Thread(task, BLOCKING));
    private final List<String> storeThreads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        blocking.shutdownNow();
    }

    @Test
    void aRemoteLocatorsReadyAnswerStillStoresOnTheBlockingExecutor() {
        PushResult result = service(false).push(qos1(), PushTargets.devices(List.of("d1"))).join();

        assertThat(result.online()).isEqualTo(1);
        assertThat(storeThreads).containsExactly(BLOCKING);
    }

    @Test
    void anInProcessLocatorLetsTheCallerQueueTheStore() {
        PushResult result = service(true).push(qos1(), PushTargets.devices(List.of("d1"))).join();

        assertThat(result.online()).isEqualTo(1);
        assertThat(storeThreads).containsExactly(Thread.currentThread().getName());
    }

    private StoreFirstPushService<String> service(boolean inProcess) {
        DeviceLocator<String> locator = new DeviceLocator<>() {
            @Override
            public CompletableFuture<Map<String, List<String>>> locate(Collection<String> clientIds) {
                return CompletableFuture.completedFuture(Map.of("gw", List.copyOf(clientIds))); // ready at once
            }

            @Override
            public boolean answersOnCallersThread() {
                return inProcess;
            }
        };
        Gateways<String> gateways = new Gateways<>() {
            @Override
            public CompletableFuture<List<HandedOver>> handOver(String gateway, List<DevicePush> pushes) {
                return CompletableFuture.completedFuture(pushes.stream()
                        .map(push -> new HandedOver(push.clientIds().size(), List.of())).toList());
            }

            @Override
            public CompletableFuture<Void> storeChanged(String gateway, Collection<String> clientIds) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public Collection<String> all() {
                return List.of("gw");
            }

            @Override
            public CompletableFuture<Integer> broadcast(String gateway, PushMessage message) {
                return CompletableFuture.completedFuture(0);
            }
        };
        PushStore store = (connected, offline, message) -> {
            storeThreads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(null);
        };
        return new StoreFirstPushService<>(locator, gateways, new InMemoryDeviceStore(), store, blocking);
    }

    private static PushMessage qos1() {
        return new PushMessage(7, ContentType.JSON, Qos.AT_LEAST_ONCE, "{}".getBytes(StandardCharsets.UTF_8),
                "trace-7", 1_718_000_000_000L, 1_718_086_400_000L);
    }
}
