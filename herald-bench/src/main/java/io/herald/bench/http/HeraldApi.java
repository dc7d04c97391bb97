package io.herald.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Herald HTTP API as the bench uses it: register, login, push, metrics, health. Asynchronous (Armeria
 * WebClient over HTTP/2 cleartext), so thousands of requests can be in flight from one thread. Request bodies
 * are built by hand: every value the bench sends is a plain ASCII id or number.
 */
public final class HeraldApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RESPONSE_TIMEOUT_MILLIS = 10_000;

    /** A login answer: the token and the gateway to connect to, over TCP and (null when it has none) WebSocket. */
    public record Login(String token, InetSocketAddress gateway, InetSocketAddress webSocket) {
    }

    /** A 202 answer to a push. */
    public record PushAccepted(long messageId, int online, int stored, int dropped) {
    }

    /** A non-success HTTP status. */
    public static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiError(int status, String body) {
            super("HTTP " + status + ": " + body, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI base;
    private final String apiKey;
    private final ClientFactory factory;
    private final WebClient client;

    public HeraldApi(URI base, String apiKey) {
        this(base, apiKey, null);
    }

    /** @param trustFile for an {@code https} API: the PEM certificate to trust (null: the JVM's trust store) */
    public HeraldApi(URI base, String apiKey, Path trustFile) {
        this.base = base;
        this.apiKey = apiKey;
        // Short timeouts: during a server restart a request must fail fast so the device retries, not hang.
        ClientFactoryBuilder factoryBuilder = ClientFactory.builder().idleTimeoutMillis(60_000)
                .connectTimeoutMillis(2_000);
        if (trustFile != null) {
            factoryBuilder.tlsCustomizer(tls -> tls.trustManager(trustFile.toFile()));
        }
        this.factory = factoryBuilder.build();
        this.client = WebClient.builder(base).factory(factory).responseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS)
                .maxResponseLength(64L * 1024 * 1024).build();
    }

    public URI base() {
        return base;
    }

    public CompletableFuture<Void> register(String clientId, String secret) {
        return post("/api/v1/devices", credentials(clientId, secret), false).thenApply(r -> null);
    }

    public CompletableFuture<Login> login(String clientId, String secret) {
        return post("/api/v1/login", credentials(clientId, secret), false).thenApply(r -> {
            JsonNode body = parse(r);
            JsonNode gateway = body.path("gateway");
            String wsUrl = gateway.path("wsUrl").asText("");
            URI ws = wsUrl.isEmpty() ? null : URI.create(wsUrl);
            return new Login(body.path("token").asText(),
                    InetSocketAddress.createUnresolved(gateway.path("host").asText(), gateway.path("tcpPort").asInt()),
                    ws == null ? null : InetSocketAddress.createUnresolved(ws.getHost(), ws.getPort()));
        });
    }

    /** @param target a client id, or null for a broadcast */
    public CompletableFuture<PushAccepted> push(String target, int qos, String textPayload, int ttlSeconds) {
        String to = target == null ? "\"broadcast\":true" : "\"to\":\"" + target + "\"";
        String body = "{" + to + ",\"contentType\":\"text\",\"payload\":\"" + textPayload + "\",\"qos\":" + qos
                + ",\"ttlSeconds\":" + ttlSeconds + "}";
        return post("/api/v1/push", body, true).thenApply(r -> {
            JsonNode json = parse(r);
            return new PushAccepted(Long.parseLong(json.path("messageId").asText()), json.path("online").asInt(),
                    json.path("stored").asInt(), json.path("dropped").asInt());
        });
    }

    public CompletableFuture<String> metrics() {
        return send(HttpMethod.GET, "/metrics", null, false).thenApply(AggregatedHttpResponse::contentUtf8);
    }

    /** True when {@code GET /health} answers 200 within the timeout. */
    public boolean isHealthy(Duration timeout) {
        try {
            AggregatedHttpResponse response = client.get("/health").aggregate()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return response.status().code() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private CompletableFuture<AggregatedHttpResponse> post(String path, String json, boolean authorized) {
        return send(HttpMethod.POST, path, json, authorized);
    }

    private CompletableFuture<AggregatedHttpResponse> send(HttpMethod method, String path, String json,
                                                          boolean authorized) {
        var request = client.prepare().method(method).path(path);
        if (json != null) {
            request.content(MediaType.JSON_UTF_8, json);
        }
        if (authorized) {
            request.header(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
        }
        return request.execute().aggregate().thenApply(response -> {
            int status = response.status().code();
            if (status < 200 || status > 299) {
                throw new ApiError(status, response.contentUtf8());
            }
            return response;
        });
    }

    private static String credentials(String clientId, String secret) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + secret + "\"}";
    }

    private static JsonNode parse(AggregatedHttpResponse response) {
        try {
            return JSON.readTree(response.contentUtf8());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
