package io.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.ApiLimits;
import io.herald.api.ApiSettings;
import io.herald.api.webhook.WebhookSettings;
import io.herald.core.limit.AttemptLimit;
import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.HeraldListener;
import io.herald.client.Transport;
import io.herald.gateway.GatewaySettings;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.testing.SocketFrames;
import io.herald.server.standalone.StandaloneNode;
import io.herald.store.jdbc.JdbcSettings;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real standalone node on loopback with free ports and its own data directory, plus helpers to call its
 * HTTP API and to make SDK clients. Everything talks over real sockets.
 */
final class StandaloneFixture implements AutoCloseable {
    static final String API_KEY = "test-api-key-123";
    static final String SECRET = "secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dataDir;
    final StandaloneNode node;
    final HttpClient http;
    final ClientResources resources;
    /** Null for plain HTTP and TCP. */
    private final TestPki.Setup tls;
    private final List<HeraldClient> clients = new ArrayList<>();

    StandaloneFixture(Path dataDir) throws InterruptedException {
        this(dataDir, Duration.ofSeconds(2));
    }

    StandaloneFixture(Path dataDir, Duration authTimeout) throws InterruptedException {
        this(dataDir, authTimeout, null);
    }

    /** A node serving TLS as {@code tls} says, whose HTTP client and SDK clients trust what {@code tls} trusts. */
    StandaloneFixture(Path dataDir, Duration authTimeout, TestPki.Setup tls) throws InterruptedException {
        this(dataDir, authTimeout, tls, new ApiLimits(ApiLimits.DEFAULT_LOGIN_FAILURES_PER_CLIENT,
                ApiLimits.DEFAULT_LOGIN_FAILURES_PER_ADDRESS, AttemptLimit.OFF, List.of()));
    }

    /** With {@code limits} instead of the default login limits (registrations per address are never limited). */
    StandaloneFixture(Path dataDir, Duration authTimeout, TestPki.Setup tls, ApiLimits limits)
            throws InterruptedException {
        this(dataDir, authTimeout, tls, limits, 0, 0);
    }

    /** On these ports (0: any free one), e.g. to restart a node where its devices expect it. */
    static StandaloneFixture onPorts(Path dataDir, int httpPort, int tcpPort) throws InterruptedException {
        return onPorts(dataDir, httpPort, tcpPort, null);
    }

    /** On these ports, serving TLS as {@code tls} says: a TLS node restarted where its devices expect it. */
    static StandaloneFixture onPorts(Path dataDir, int httpPort, int tcpPort, TestPki.Setup tls)
            throws InterruptedException {
        return new StandaloneFixture(dataDir, Duration.ofSeconds(2), tls, new ApiLimits(
                ApiLimits.DEFAULT_LOGIN_FAILURES_PER_CLIENT, ApiLimits.DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
                AttemptLimit.OFF, List.of()), httpPort, tcpPort);
    }

    /** With these {@code --handler-setting}s, e.g. to switch on an optional built-in handler. */
    static StandaloneFixture withHandlerSettings(Path dataDir, Map<String, String> handlerSettings)
            throws InterruptedException {
        return new StandaloneFixture(dataDir, Duration.ofSeconds(2), null, new ApiLimits(
                ApiLimits.DEFAULT_LOGIN_FAILURES_PER_CLIENT, ApiLimits.DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
                AttemptLimit.OFF, List.of()), 0, 0, handlerSettings, UnaryOperator.identity());
    }

    /** Posting its events to {@code webhook}. */
    static StandaloneFixture withWebhook(Path dataDir, WebhookSettings webhook) throws InterruptedException {
        return new StandaloneFixture(dataDir, Duration.ofSeconds(2), null, new ApiLimits(
                ApiLimits.DEFAULT_LOGIN_FAILURES_PER_CLIENT, ApiLimits.DEFAULT_LOGIN_FAILURES_PER_ADDRESS,
                AttemptLimit.OFF, List.of()), 0, 0, Map.of(), settings -> settings.withWebhook(webhook));
    }

    private StandaloneFixture(Path dataDir, Duration authTimeout, TestPki.Setup tls, ApiLimits limits, int httpPort,
                              int tcpPort) throws InterruptedException {
        this(dataDir, authTimeout, tls, limits, httpPort, tcpPort, Map.of(), UnaryOperator.identity());
    }

    private StandaloneFixture(Path dataDir, Duration authTimeout, TestPki.Setup tls, ApiLimits limits, int httpPort,
                              int tcpPort, Map<String, String> handlerSettings,
                              UnaryOperator<StandaloneNode.Settings> customize) throws InterruptedException {
        this.dataDir = dataDir;
        this.tls = tls;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.http = tls == null ? http.build() : http.sslContext(tls.clientContext()).build();
        GatewaySettings gateway = GatewaySettings.defaults("it")
                .withPorts("127.0.0.1", tcpPort, 0)
                .withTimings(authTimeout, Duration.ofSeconds(30), Duration.ofSeconds(2));
        ApiSettings api = ApiSettings.of(API_KEY).withPort(0);
        api = new ApiSettings(httpPort, "127.0.0.1", API_KEY, true, api.maxRequestBytes(), api.maxPayloadBytes(),
                api.defaultTtl(), api.maxTtl())
                // Every test device registers from 127.0.0.1: a per-address registration limit would refuse a
                // fleet. The login limits stay on (herald-api's AbuseLimitsApiTest covers all of them).
                .withLimits(limits);
        this.node = StandaloneNode.start(customize.apply(new StandaloneNode.Settings(gateway, api,
                JdbcSettings.h2File(dataDir), tls == null ? null : tls.publicHost(), Duration.ofHours(1), 1000, 1,
                handlerSettings, tls == null ? null : tls.served())));
        this.resources = ClientResources.create();
    }

    String apiUrl() {
        return tls == null ? "http://127.0.0.1:" + node.httpPort() : "https://" + tls.apiHost() + ":" + node.httpPort();
    }

    HeraldClient client(String clientId, HeraldListener listener) {
        return client(clientId, listener, Transport.TCP);
    }

    HeraldClient client(String clientId, HeraldListener listener, Transport transport) {
        HeraldClient client = HeraldClient.create(resources, HeraldClientOptions.builder()
                .apiUrl(apiUrl()).clientId(clientId).secret(SECRET).registerIfMissing(true)
                .transport(transport).tlsTrust(tls == null ? null : tls.trustFile()).build(), listener);
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> push(String json, String... extraHeaders) throws IOException, InterruptedException {
        String[] headers = new String[extraHeaders.length + 2];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + API_KEY;
        System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
        return post("/api/v1/push", json, headers);
    }

    /** {@code PUT path} with the API key and a JSON body. */
    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_KEY).PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + API_KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    void register(String clientId) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/v1/devices",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + SECRET + "\"}");
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("registration failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** A registered device that logged in and authenticated over a raw socket: it acks only when a test says so. */
    Socket authenticatedSocket(String clientId) throws Exception {
        register(clientId);
        String token = json(post("/api/v1/login", "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + SECRET
                + "\"}")).get("token").asText();
        Socket device = SocketFrames.connect(node.tcpPort());
        SocketFrames.write(device, new AuthFrame(token));
        Frame answer = SocketFrames.read(device);
        if (!(answer instanceof AuthOkFrame)) {
            device.close();
            throw new IllegalStateException("AUTH answered " + answer);
        }
        return device;
    }

    /** The next MESSAGE frame a raw socket device receives (other frames are skipped). */
    static MessageFrame nextMessage(Socket device) throws Exception {
        while (true) {
            Frame frame = SocketFrames.read(device);
            if (frame instanceof MessageFrame message) {
                return message;
            }
        }
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(HeraldClient::close);
        }
        resources.close();
        node.close();
    }
}
