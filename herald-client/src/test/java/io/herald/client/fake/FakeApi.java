package io.herald.client.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two HTTP endpoints a device uses — {@code POST /api/v1/devices} and {@code POST /api/v1/login} — on
 * the JDK's HTTP server at 127.0.0.1. Logins are counted; the gateway it hands out can be switched.
 */
public final class FakeApi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> devices = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenCounter = new AtomicInteger();
    public final AtomicInteger logins = new AtomicInteger();
    public final AtomicInteger registrations = new AtomicInteger();

    private volatile boolean acceptUnknownDevices = true;
    private volatile int forcedLoginStatus;
    private volatile String gatewayHost = "127.0.0.1";
    private volatile int gatewayTcpPort;
    private volatile int[] portSequence;
    private volatile int portSequenceStart;
    private volatile String gatewayWsUrl;
    private volatile int[] fallbackTcpPorts = new int[0];

    public FakeApi(FakeGateway gateway) {
        pointTo(gateway);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/api/v1/devices", this::register);
        server.createContext("/api/v1/login", this::login);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Hand out {@code gateway} at the next logins. */
    public FakeApi pointTo(FakeGateway gateway) {
        gatewayTcpPort = gateway.tcpPort();
        gatewayWsUrl = gateway.wsUrl();
        portSequence = null;
        return this;
    }

    /** Hand out this TCP port (e.g. one where nothing listens) at the next logins. */
    public FakeApi pointToTcpPort(int port) {
        return pointToTcpPorts(port);
    }

    /** The n-th login from now on gets the n-th port; the last one repeats. */
    public FakeApi pointToTcpPorts(int... ports) {
        portSequence = ports.clone();
        portSequenceStart = logins.get();
        return this;
    }

    /** Login answers list gateways at these TCP ports (on the same host) as the token's fallbacks. */
    public FakeApi withFallbackTcpPorts(int... ports) {
        fallbackTcpPorts = ports.clone();
        return this;
    }

    /** Login answers say the gateway has no WebSocket listener. */
    public FakeApi withoutWebSocket() {
        gatewayWsUrl = null;
        return this;
    }

    public FakeApi device(String clientId, String secret) {
        devices.put(clientId, secret);
        return this;
    }

    public FakeApi acceptUnknownDevices(boolean accept) {
        this.acceptUnknownDevices = accept;
        return this;
    }

    /** Answer every login with this status and an error body (0 restores normal logins). */
    public FakeApi forceLoginStatus(int status) {
        this.forcedLoginStatus = status;
        return this;
    }

    /** Whether the gateway should accept this token: issued here and not revoked. */
    public boolean isValidToken(String token) {
        return validTokens.contains(token);
    }

    public void revokeAllTokens() {
        validTokens.clear();
    }

    private void register(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
        registrations.incrementAndGet();
        String clientId = body.path("clientId").asText();
        String secret = body.path("secret").asText();
        String existing = devices.putIfAbsent(clientId, secret);
        if (existing == null) {
            respond(exchange, 201, json.createObjectNode().put("clientId", clientId));
        } else if (existing.equals(secret)) {
            respond(exchange, 200, json.createObjectNode().put("clientId", clientId));
        } else {
            respond(exchange, 409, error("DEVICE_EXISTS", "registered with another secret"));
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
        int login = logins.incrementAndGet();
        if (forcedLoginStatus != 0) {
            respond(exchange, forcedLoginStatus, error("FORCED", "forced status " + forcedLoginStatus));
            return;
        }
        String clientId = body.path("clientId").asText();
        String secret = body.path("secret").asText();
        String known = devices.get(clientId);
        if (known == null ? !acceptUnknownDevices : !known.equals(secret)) {
            respond(exchange, 401, error("BAD_CREDENTIALS", "wrong client id or secret"));
            return;
        }
        String token = "token-" + clientId + "-" + tokenCounter.incrementAndGet();
        validTokens.add(token);
        ObjectNode answer = json.createObjectNode()
                .put("token", token)
                .put("expiresAt", Instant.now().plusSeconds(3600).toString());
        int[] ports = portSequence;
        int tcpPort = ports == null ? gatewayTcpPort
                : ports[Math.min(login - portSequenceStart - 1, ports.length - 1)];
        answer.putObject("gateway").put("host", gatewayHost).put("tcpPort", tcpPort)
                .put("wsUrl", gatewayWsUrl);
        ArrayNode fallbacks = answer.putArray("fallbackGateways");
        for (int port : fallbackTcpPorts) {
            fallbacks.addObject().put("host", gatewayHost).put("tcpPort", port).putNull("wsUrl").put("tls", false);
        }
        respond(exchange, 200, answer);
    }

    private ObjectNode error(String code, String message) {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return json.readTree(in);
        }
    }

    private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
