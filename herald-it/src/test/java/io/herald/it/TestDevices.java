package io.herald.it;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * SDK clients for the tests, on one shared {@link ClientResources}: they register if missing, log in at the API
 * node they are given and connect to the gateway its answer names; they reconnect quickly (100 ms doubling to
 * 1 s) and log in again after two failed attempts in a row. {@link #close()} closes them all.
 */
final class TestDevices implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /** One device: its client and what its listener saw. */
    record Device(String clientId, HeraldClient client, RecordingListener listener) {
        String gateway() {
            return listener.gateway();
        }
    }

    private final ClientResources resources = ClientResources.create();
    private final List<HeraldClient> clients = new ArrayList<>();

    /** A started device: returns once it is connected. */
    Device connect(String clientId, HttpApi api) {
        Device device = create(clientId, api);
        join(device.client().start());
        return device;
    }

    /** Starts them all at once; returns once every one is connected. */
    List<Device> connectAll(List<String> clientIds, HttpApi api) {
        List<Device> devices = clientIds.stream().map(id -> create(id, api)).toList();
        CompletableFuture.allOf(devices.stream().map(d -> d.client().start()).toArray(CompletableFuture[]::new))
                .orTimeout(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        return devices;
    }

    Device create(String clientId, HttpApi api) {
        RecordingListener listener = new RecordingListener();
        HeraldClient client = HeraldClient.create(resources, HeraldClientOptions.builder()
                .apiUrl(api.url()).clientId(clientId).secret(HttpApi.SECRET).registerIfMissing(true)
                .reconnectInitialDelay(Duration.ofMillis(100)).reconnectMaxDelay(Duration.ofSeconds(1))
                .reloginAfterFailures(2)
                .build(), listener);
        synchronized (clients) {
            clients.add(client);
        }
        return new Device(clientId, client, listener);
    }

    private static void join(CompletableFuture<Void> started) {
        started.orTimeout(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(HeraldClient::close);
            clients.clear();
        }
        resources.close();
    }
}
