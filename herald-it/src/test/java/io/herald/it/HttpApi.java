package io.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The HTTP API of one cluster API node, as a business backend and an operator call it. */
final class HttpApi {
    static final String SECRET = "it-device-secret-0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What {@code POST /api/v1/push} answered. */
    record PushAnswer(int status, String messageId, int online, int stored, int dropped, String body) {
    }

    /** The gateway a login answer names, the token to present there, and the TCP ports of its fallbacks. */
    record Assignment(String host, int tcpPort, String token, List<Integer> fallbackTcpPorts) {
    }

    private final String baseUrl;
    private final String apiKey;

    /** The API at that port on 127.0.0.1, with the tests' API key ({@link NodeSettings#API_KEY}). */
    HttpApi(int port) {
        this(port, NodeSettings.API_KEY);
    }

    HttpApi(int port, String apiKey) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    String url() {
        return baseUrl;
    }

    void register(String clientId) {
        HttpResponse<String> response = send(post("/api/v1/devices", credentials(clientId)));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("registering " + clientId + " failed: " + response.statusCode() + " "
                    + response.body());
        }
    }

    /** Logs in and returns the gateway the API assigned. */
    Assignment login(String clientId) {
        HttpResponse<String> response = send(post("/api/v1/login", credentials(clientId)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login of " + clientId + " failed: " + response.statusCode() + " "
                    + response.body());
        }
        JsonNode answer = json(response);
        JsonNode gateway = answer.get("gateway");
        List<Integer> fallbacks = new ArrayList<>();
        answer.path("fallbackGateways").forEach(fallback -> fallbacks.add(fallback.get("tcpPort").asInt()));
        return new Assignment(gateway.get("host").asText(), gateway.get("tcpPort").asInt(),
                answer.get("token").asText(), fallbacks);
    }

    PushAnswer push(String json) {
        return answer(send(pushRequest(json)));
    }

    /** {@link #push} without waiting, for bursts. */
    CompletableFuture<PushAnswer> pushAsync(String json) {
        return HTTP.sendAsync(pushRequest(json), HttpResponse.BodyHandlers.ofString()).thenApply(HttpApi::answer);
    }

    /** {@link #push} with a W3C {@code traceparent} header: the push's trace id is the header's. */
    PushAnswer push(String json, String traceparent) {
        return answer(send(postBuilder("/api/v1/push", json).header("Authorization", "Bearer " + apiKey)
                .header("traceparent", traceparent).build()));
    }

    /** {@code POST path} with the API key and the extra headers (name, value, ...), answered as it came. */
    HttpResponse<String> postWithKey(String path, String json, String... headers) {
        HttpRequest.Builder request = postBuilder(path, json).header("Authorization", "Bearer " + apiKey);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    /** {@code PUT path} with the API key and a JSON body, answered as it came. */
    HttpResponse<String> putWithKey(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpRequest pushRequest(String json) {
        return postBuilder("/api/v1/push", json).header("Authorization", "Bearer " + apiKey).build();
    }

    private static PushAnswer answer(HttpResponse<String> response) {
        if (response.statusCode() != 202) {
            return new PushAnswer(response.statusCode(), null, 0, 0, 0, response.body());
        }
        JsonNode body = json(response);
        return new PushAnswer(response.statusCode(), body.get("messageId").asText(), body.get("online").asInt(),
                body.get("stored").asInt(), body.get("dropped").asInt(), response.body());
    }

    /** {@code GET /api/v1/devices/{id}}: online, gateway, pendingMessages, ... */
    JsonNode device(String clientId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/devices/" + clientId))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("device " + clientId + ": " + response.statusCode() + " "
                    + response.body());
        }
        return json(response);
    }

    /** {@code GET /api/v1/messages/{id}}: the message's state per device, answered as it came. */
    HttpResponse<String> messageStatus(String messageId) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/messages/" + messageId))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + apiKey).GET().build());
    }

    private HttpRequest post(String path, String json) {
        return postBuilder(path, json).build();
    }

    private HttpRequest.Builder postBuilder(String path, String json) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static String credentials(String clientId) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + SECRET + "\"}";
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
