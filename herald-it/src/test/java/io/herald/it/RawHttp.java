package io.herald.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP API as the fault tests call it: every answer is returned (status, Retry-After, body, how long it took)
 * rather than turned into an exception, and a call that hangs past {@link #TIMEOUT} shows as status -1.
 */
final class RawHttp {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer; {@code retryAfter} is null without the header. */
    record Answer(int status, String retryAfter, String body, Duration took) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** A 503 JSON error with a Retry-After header. */
        boolean unavailable() {
            return status == 503 && retryAfter != null && body.trim().startsWith("{");
        }

        /** The message id of an accepted push. */
        String messageId() {
            try {
                return JSON.readTree(body).get("messageId").asText();
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        /** How many devices an accepted push reached online. */
        int online() {
            try {
                return JSON.readTree(body).get("online").asInt();
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " (Retry-After " + retryAfter + ", " + took.toMillis() + " ms) " + body;
        }
    }

    private RawHttp() {
    }

    static Answer login(HttpApi api, String clientId) {
        return post(api, "/api/v1/login", credentials(clientId), false);
    }

    static Answer register(HttpApi api, String clientId) {
        return post(api, "/api/v1/devices", credentials(clientId), false);
    }

    static Answer push(HttpApi api, String clientId, String payload) {
        return post(api, "/api/v1/push", "{\"to\":\"" + clientId + "\",\"payload\":\"" + payload + "\",\"qos\":1}",
                true);
    }

    private static String credentials(String clientId) {
        return "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + HttpApi.SECRET + "\"}";
    }

    private static Answer post(HttpApi api, String path, String json, boolean withApiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (withApiKey) {
            request.header("Authorization", "Bearer " + NodeSettings.API_KEY);
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body(), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            return new Answer(-1, null, e.toString(), Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
