package io.herald.api;

import io.herald.core.memory.InMemoryDeviceStore;
import io.herald.core.memory.InMemoryDeviceTags;
import io.herald.core.memory.InMemoryIdempotencyStore;
import io.herald.core.memory.InMemoryOfflineStore;
import io.herald.core.memory.InMemoryUpstreamArchive;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.device.DeviceService;
import io.herald.core.message.MessageIdGenerator;
import io.herald.core.security.InMemoryTokenStore;
import io.herald.core.security.SecretHasher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real {@link HttpApiServer} on a free loopback port over in-memory fakes of every core interface, and a
 * {@link HttpClient} to call it over a socket.
 */
final class TestApi implements AutoCloseable {
    static final String API_KEY = "test-api-key-4f1c9e";
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration TOKEN_TTL = Duration.ofHours(1);
    static final ObjectMapper JSON = new ObjectMapper();

    /** Stands at {@link #NOW} unless a test moves it (windows of the abuse limits). */
    final TestClock clock = new TestClock(NOW);
    final InMemoryDeviceStore deviceStore = new InMemoryDeviceStore();
    final InMemoryTokenStore tokens = new InMemoryTokenStore(clock);
    final DeviceService deviceService = new DeviceService(deviceStore, tokens, new SecretHasher(1), TOKEN_TTL, clock);
    final FakeSessionDirectory sessions = new FakeSessionDirectory();
    final FakeGatewayLocator gateways = new FakeGatewayLocator();
    final InMemoryOfflineStore offlineStore = new InMemoryOfflineStore();
    final InMemoryUpstreamArchive archive = new InMemoryUpstreamArchive();
    final RecordingPushService pushService = new RecordingPushService();
    final InMemoryDeviceTags tags = new InMemoryDeviceTags(deviceStore);
    final InMemoryIdempotencyStore idempotencyKeys = new InMemoryIdempotencyStore();
    final FakeMessageStatuses messageStatuses = new FakeMessageStatuses();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ApiSettings settings;
    final HttpApiServer server;
    final int port;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestApi(UnaryOperator<ApiSettings> customize, List<HealthCheck> healthChecks) {
        this(customize, healthChecks, HttpApiServer.REQUEST_TIMEOUT);
    }

    private TestApi(UnaryOperator<ApiSettings> customize, List<HealthCheck> healthChecks, Duration requestTimeout) {
        settings = customize.apply(ApiSettings.of(API_KEY).withPort(0).withBindAddress("127.0.0.1"));
        ApiDependencies dependencies = new ApiDependencies(
                new ApiDependencies.Devices(deviceService, sessions, gateways, offlineStore, archive, tags),
                new ApiDependencies.Push(pushService, new MessageIdGenerator(clock, 7), idempotencyKeys,
                        messageStatuses),
                new ApiDependencies.Ops(registry, healthChecks),
                clock);
        server = new HttpApiServer(settings, dependencies, null, requestTimeout);
        port = server.start();
    }

    static TestApi start() {
        return start(UnaryOperator.identity());
    }

    static TestApi start(UnaryOperator<ApiSettings> customize, HealthCheck... healthChecks) {
        return new TestApi(customize, List.of(healthChecks));
    }

    /** A server whose requests time out after {@code requestTimeout} instead of 30 s. */
    static TestApi withRequestTimeout(Duration requestTimeout) {
        return new TestApi(UnaryOperator.identity(), List.of(), requestTimeout);
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }

    static String[] apiKey() {
        return new String[] {"Authorization", "Bearer " + API_KEY};
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    Reply get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Reply delete(String path, String... headers) {
        return send(request(path, headers).DELETE().build());
    }

    /** A JSON POST; a Content-Type among {@code headers} replaces application/json. */
    Reply post(String path, String json, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        boolean hasContentType = false;
        for (int i = 0; i < all.size(); i += 2) {
            hasContentType |= all.get(i).equalsIgnoreCase("Content-Type");
        }
        if (!hasContentType) {
            all.add("Content-Type");
            all.add("application/json");
        }
        return send(request(path, all.toArray(String[]::new))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply postWithKey(String path, String json, String... headers) {
        List<String> all = new ArrayList<>(List.of(apiKey()));
        all.addAll(List.of(headers));
        return post(path, json, all.toArray(String[]::new));
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Registers a device straight through the service, for tests about other endpoints. */
    void register(String clientId, String secret) {
        deviceService.register(clientId, secret);
    }

    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        String errorMessage() {
            return json().path("error").path("message").asText(null);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("content-type");
        }
    }
}
