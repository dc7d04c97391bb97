package io.herald.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.client.ApiException;
import io.herald.client.ApiUnreachableException;
import io.herald.client.HeraldException;
import io.herald.client.LoginRejectedException;
import io.herald.client.RegistrationConflictException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The device's two HTTP calls: register ({@code POST /api/v1/devices}) and login ({@code POST /api/v1/login}).
 * Asynchronous over the shared {@link HttpClient}; answers are parsed on the HTTP client's executor, never on
 * an event loop. Failures arrive as {@link ApiException} (the API said no), {@link ApiUnreachableException}
 * (no answer) or {@link HeraldException} (an answer that cannot be understood).
 */
public final class ApiClient {
    private static final String DEVICES_PATH = "/api/v1/devices";
    private static final String LOGIN_PATH = "/api/v1/login";
    /** Error bodies are quoted in exception messages; more than this is noise. */
    private static final int MAX_QUOTED_BODY = 200;
    /** The API lists at most 2; a longer list (another server) is cut rather than tried for ever. */
    private static final int MAX_FALLBACKS = 4;

    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Duration timeout;

    public ApiClient(HttpClient http, ObjectMapper json, URI apiUrl, Duration timeout) {
        this.http = http;
        this.json = json;
        String base = apiUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = timeout;
    }

    /**
     * Registers the device; an existing registration with the same secret is fine.
     *
     * @return true when the device was created, false when it existed already
     */
    public CompletableFuture<Boolean> register(String clientId, String secret) {
        URI uri = URI.create(baseUrl + DEVICES_PATH);
        return post(uri, credentials(clientId, secret)).thenApply(response -> {
            switch (response.statusCode()) {
                case 201:
                    return true;
                case 200:
                    return false;
                case 409: {
                    ErrorBody error = errorBody(response);
                    throw new RegistrationConflictException(error.code, "client id " + clientId
                            + " is registered with another secret" + error.suffix());
                }
                default:
                    throw unexpected("registration", response);
            }
        });
    }

    public CompletableFuture<LoginResult> login(String clientId, String secret) {
        URI uri = URI.create(baseUrl + LOGIN_PATH);
        return post(uri, credentials(clientId, secret)).thenApply(response -> {
            if (response.statusCode() == 200) {
                return parseLogin(uri, response.body());
            }
            if (response.statusCode() == 401) {
                ErrorBody error = errorBody(response);
                throw new LoginRejectedException(error.code, "login refused for client id " + clientId
                        + ": wrong secret or unknown device" + error.suffix());
            }
            throw unexpected("login", response);
        });
    }

    private byte[] credentials(String clientId, String secret) {
        ObjectNode body = json.createObjectNode().put("clientId", clientId).put("secret", secret);
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a two-field JSON object", e);
        }
    }

    private CompletableFuture<HttpResponse<byte[]>> post(URI uri, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    throw new ApiUnreachableException("POST " + uri + " failed: " + describe(cause), cause);
                });
    }

    private LoginResult parseLogin(URI uri, byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            String token = text(root, "token");
            JsonNode gateway = root == null ? null : root.get("gateway");
            if (token == null || token.isEmpty() || gateway == null || !gateway.isObject()) {
                throw new HeraldException("login answer from " + uri + " lacks token or gateway: " + quote(body));
            }
            List<GatewayInfo> fallbacks = new ArrayList<>();
            JsonNode listed = root.path("fallbackGateways");
            for (int i = 0; i < Math.min(listed.size(), MAX_FALLBACKS); i++) {
                if (listed.get(i).isObject()) {
                    fallbacks.add(gatewayInfo(listed.get(i)));
                }
            }
            return new LoginResult(token, parseInstant(root.get("expiresAt")), gatewayInfo(gateway), fallbacks);
        } catch (IOException e) {
            throw new HeraldException("login answer from " + uri + " is not JSON: " + quote(body), e);
        }
    }

    private static GatewayInfo gatewayInfo(JsonNode gateway) {
        return new GatewayInfo(text(gateway, "host"), gateway.path("tcpPort").asInt(0), text(gateway, "wsUrl"),
                gateway.path("tls").asBoolean(false));
    }

    /** Accepts ISO-8601 text, or epoch seconds / milliseconds as a number; anything else means "unknown". */
    private static Instant parseInstant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            long value = node.asLong();
            // Below 10^11 a value cannot be milliseconds of any plausible date (it would be 1973): seconds.
            return value < 100_000_000_000L ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private ApiException unexpected(String what, HttpResponse<byte[]> response) {
        ErrorBody error = errorBody(response);
        return new ApiException(response.statusCode(), error.code, what + " failed with HTTP "
                + response.statusCode() + error.suffix());
    }

    private ErrorBody errorBody(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isObject()) {
                return new ErrorBody(text(error, "code"), text(error, "message"));
            }
        } catch (IOException | RuntimeException e) {
            // not the documented error shape: quote the body instead
        }
        return new ErrorBody(null, body == null || body.length == 0 ? null : quote(body));
    }

    private static String quote(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "...";
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private record ErrorBody(String code, String message) {
        String suffix() {
            if (code == null && message == null) {
                return "";
            }
            return " (" + (code != null ? code : "") + (code != null && message != null ? ": " : "")
                    + (message != null ? message : "") + ")";
        }
    }
}
