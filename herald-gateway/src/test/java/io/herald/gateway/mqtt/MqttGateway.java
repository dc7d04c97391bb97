package io.herald.gateway.mqtt;

import io.herald.core.device.Device;
import io.herald.core.device.DeviceIdentity;
import io.herald.core.event.Event;
import io.herald.core.event.EventType;
import io.herald.core.event.Events;
import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.memory.InMemoryUpstreamArchive;
import io.herald.core.message.PushMessage;
import io.herald.core.message.UpstreamMessage;
import io.herald.core.push.PushResult;
import io.herald.core.push.PushTargets;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.core.security.SecretHasher;
import io.herald.core.session.SessionEvents;
import io.herald.gateway.Gateway;
import io.herald.gateway.GatewayCore;
import io.herald.gateway.GatewaySettings;
import io.herald.gateway.session.DeviceAuthenticator;
import io.herald.gateway.tls.DeviceTls;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real gateway with MQTT on (TCP and WebSocket, free ports on 127.0.0.1) over in-memory stores, for the tests that
 * connect real MQTT clients: registers devices, issues tokens, pushes, and shows what was archived upstream.
 */
final class MqttGateway implements AutoCloseable {
    static final String SECRET = "s3cret-of-the-device";

    final InMemoryTokenStore tokens = new InMemoryTokenStore(Clock.systemUTC());
    final InMemoryDeviceStore devices = new InMemoryDeviceStore();
    final InMemoryOfflineStore offline = new InMemoryOfflineStore();
    final InMemoryUpstreamArchive archive = new InMemoryUpstreamArchive();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** What the gateway told the business backend. */
    final List<Event> events = new CopyOnWriteArrayList<>();
    final Gateway gateway;
    private final SecretHasher hasher = new SecretHasher(SecretHasher.DEFAULT_ITERATIONS);
    private final List<Cleanup> cleanups = new CopyOnWriteArrayList<>();

    /** Closes a test's client; what it throws (the client is gone already) is ignored. */
    @FunctionalInterface
    interface Cleanup {
        void run() throws Exception;
    }
    private final AtomicLong messageIds = new AtomicLong(System.currentTimeMillis() << 20);

    MqttGateway() throws InterruptedException {
        this(GatewaySettings.defaults("gw-mqtt"));
    }

    MqttGateway(GatewaySettings settings) throws InterruptedException {
        this(settings, null);
    }

    /** With TLS on every listener unless {@code tls} is null. */
    MqttGateway(GatewaySettings settings, DeviceTls tls) throws InterruptedException {
        this.gateway = Gateway.start(settings.withPorts("127.0.0.1", 0, 0).withMqtt(MqttSettings.onPort(0)),
                new GatewayCore.Dependencies(DeviceAuthenticator.inMemory(tokens), devices, offline, archive, meters,
                        Clock.systemUTC(), Map.of(), SessionEvents.NONE,
                        new Events("gw-mqtt", Clock.systemUTC(), events::add)), tls);
    }

    /** Registers {@code clientId} with {@link #SECRET}; returns a login token for it. */
    String register(String clientId) {
        Device device = new Device(clientId, hasher.hash(SECRET), Instant.now(), Device.newGeneration());
        devices.insert(device);
        return tokens.issue(device.identity(), Duration.ofMinutes(5)).value();
    }

    String token(String clientId) {
        DeviceIdentity identity = devices.find(clientId).orElseThrow().identity();
        return tokens.issue(identity, Duration.ofMinutes(5)).value();
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + gateway.mqttPort();
    }

    String webSocketUri() {
        return "ws://127.0.0.1:" + gateway.wsPort() + MqttSettings.DEFAULT_WS_PATH;
    }

    PushMessage message(String text, Qos qos, String traceId) {
        return new PushMessage(messageIds.incrementAndGet(), ContentType.TEXT, qos,
                text.getBytes(StandardCharsets.UTF_8), traceId, System.currentTimeMillis(),
                System.currentTimeMillis() + Duration.ofHours(1).toMillis());
    }

    PushResult push(String clientId, PushMessage message) {
        return gateway.pushService().push(message, PushTargets.devices(List.of(clientId))).join();
    }

    PushResult push(String clientId, String text, Qos qos) {
        return push(clientId, message(text, qos, null));
    }

    PushResult broadcast(String text) {
        return gateway.pushService().push(message(text, Qos.AT_MOST_ONCE, null), PushTargets.broadcast()).join();
    }

    List<UpstreamMessage> archived() {
        return archive.all();
    }

    /** The backend events of the type so far, oldest first. */
    List<Event> events(EventType type) {
        return events.stream().filter(event -> event.type() == type).toList();
    }

    double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Has {@code client} closed with the gateway; returns it. */
    <T> T closing(T client, Cleanup cleanup) {
        cleanups.add(cleanup);
        return client;
    }

    @Override
    public void close() {
        for (Cleanup cleanup : cleanups) {
            try {
                cleanup.run();
            } catch (Exception ignored) {
                // already gone
            }
        }
        gateway.close();
    }
}
