package io.herald.cluster.push;

import io.herald.cluster.discovery.GatewayMembership;
import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.LinkSettings;
import io.herald.cluster.link.TestGateway;
import io.herald.cluster.link.client.GatewayLinks;
import io.herald.cluster.redis.RedisConnections;
import io.herald.cluster.redis.RedisServerProcess;
import io.herald.cluster.redis.RedisSessionRegistry;
import io.herald.cluster.redis.RedisSettings;
import io.herald.core.device.Device;
import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryOfflineStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an API node sees of a small cluster, for one test class: a private redis-server (emptied before each test),
 * and per test two gateways ({@code gw-1}, {@code gw-2}: link servers over recording endpoints) in the membership,
 * the API node's links to them, in-memory device and offline stores, and a blocking executor whose threads are
 * named {@value #BLOCKING_THREAD_PREFIX}n. Register it as a static field with {@code @RegisterExtension}.
 */
final class PushCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final String BLOCKING_THREAD_PREFIX = "blocking-";
    static final LinkSettings SETTINGS = LinkSettings.of("push-routing-cluster-secret")
            .withRequestTimeout(Duration.ofMillis(500))
            .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200));

    private RedisServerProcess redisServer;
    private RedisConnections redis;
    private RedisSessionRegistry registry;
    private TestGateway gw1;
    private TestGateway gw2;
    private GatewayLinks links;
    private final AtomicReference<GatewayMembership> membership = new AtomicReference<>(GatewayMembership.EMPTY);
    private InMemoryDeviceStore devices;
    private InMemoryOfflineStore offlineStore;
    private ExecutorService blocking;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redisServer = RedisServerProcess.start();
        redis = RedisConnections.open(RedisSettings.of(redisServer.uri()));
        registry = new RedisSessionRegistry(redis);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        redis.sync().flushall();
        gw1 = TestGateway.start("gw-1", SETTINGS);
        gw2 = TestGateway.start("gw-2", SETTINGS);
        membership.set(GatewayMembership.of(List.of(gw1.node(), gw2.node())));
        links = GatewayLinks.create("api-1", SETTINGS);
        devices = new InMemoryDeviceStore();
        offlineStore = new InMemoryOfflineStore();
        AtomicInteger threads = new AtomicInteger();
        blocking = Executors.newFixedThreadPool(2,
                task -> new Thread(task, BLOCKING_THREAD_PREFIX + threads.incrementAndGet()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        links.close();
        gw1.close();
        gw2.close();
        blocking.shutdown();
        blocking.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            redis.close();
        } finally {
            redisServer.close();
        }
    }

    TestGateway gw1() {
        return gw1;
    }

    TestGateway gw2() {
        return gw2;
    }

    RedisSessionRegistry registry() {
        return registry;
    }

    GatewayLinks links() {
        return links;
    }

    AtomicReference<GatewayMembership> membership() {
        return membership;
    }

    InMemoryDeviceStore devices() {
        return devices;
    }

    InMemoryOfflineStore offlineStore() {
        return offlineStore;
    }

    ExecutorService blocking() {
        return blocking;
    }

    /** The membership lists exactly these gateways. */
    void live(GatewayNode... nodes) {
        membership.set(GatewayMembership.of(Arrays.asList(nodes)));
    }

    /** Registers the devices and records them as connected to the gateway, in Redis and at its endpoint. */
    void connect(TestGateway gateway, String... clientIds) {
        register(clientIds);
        gateway.endpoint().connect(clientIds);
        for (String clientId : clientIds) {
            locate(clientId, gateway.node().id());
        }
    }

    /** Only Redis: where the device is as far as the API node can tell. */
    void locate(String clientId, String nodeId) {
        registry.register(clientId, nodeId, "conn-" + clientId).join();
    }

    /** Registered devices that are not connected anywhere. */
    void register(String... clientIds) {
        for (String clientId : clientIds) {
            devices.insert(new Device(clientId, "hash", Instant.EPOCH, 0));
        }
    }
}
