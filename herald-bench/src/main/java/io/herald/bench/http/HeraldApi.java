package io.herald.bench.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Herald HTTP API as the bench uses it: register, login, push, metrics, health. Asynchronous (Armeria
 * WebClient), so thousands of requests can be in flight from one thread. Request bodies are built by hand: every
 * value the bench sends is a plain ASCII id or number.
 *
 * <p>Pushes go over HTTP/1.1 keep-alive connections (one request at a time on each, pooled), as an application
 * server's HTTP client usually sends them, and their answers are read with Jackson's streaming parser, picking the
 * few fields the bench counts: the bench's CPU per push stays well under the server's, so the shared cores measure
 * the server. The other calls keep HTTP/2 cleartext.
 */
public final class HeraldApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAMING = JSON.getFactory();
    private static final long RESPONSE_TIMEOUT_MILLIS = 10_000;

    /**
     * A login answer: the token and the gateway to connect to, over TCP and (null when it has none) WebSocket, and
     * the fallback gateways the same token may use, over TCP and over WebSocket (those that have it), best first.
     */
    public record Login(String token, InetSocketAddress gateway, InetSocketAddress webSocket,
                        List<InetSocketAddress> fallbacks, List<InetSocketAddress> webSocketFallbacks) {
    }

    /** A 202 answer to a push. */
    public record PushAccepted(long messageId, int online, int stored, int dropped) {
    }

    /**
     * The answer to a batch push: the accepted messages in request order, and how many of the batch's messages
     * were refused (each with its own error in the answer; the last one is kept).
     */
    public record BatchAccepted(List<PushAccepted> accepted, int failed, String lastError) {
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
    private final WebClient pushClient;

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
        this.pushClient = WebClient.builder(http1(base)).factory(factory).responseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS)
                .maxResponseLength(64L * 1024 * 1024).build();
    }

    /** The same address with Armeria's scheme for HTTP/1.1 only (no HTTP/2 preface or upgrade). */
    private static URI http1(URI base) {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "h1" : "h1c";
        return URI.create(scheme + base.toString().substring(base.getScheme().length()));
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
            List<InetSocketAddress> fallbacks = new ArrayList<>();
            List<InetSocketAddress> webSocketFallbacks = new ArrayList<>();
            for (JsonNode fallback : body.path("fallbackGateways")) {
                fallbacks.add(tcpAddress(fallback));
                InetSocketAddress ws = webSocketAddress(fallback);
                if (ws != null) {
                    webSocketFallbacks.add(ws);
                }
            }
            return new Login(body.path("token").asText(), tcpAddress(gateway), webSocketAddress(gateway),
                    List.copyOf(fallbacks), List.copyOf(webSocketFallbacks));
        });
    }

    private static InetSocketAddress tcpAddress(JsonNode gateway) {
        return InetSocketAddress.createUnresolved(gateway.path("host").asText(), gateway.path("tcpPort").asInt());
    }

    /** Null when the gateway has no WebSocket listener. */
    private static InetSocketAddress webSocketAddress(JsonNode gateway) {
        String wsUrl = gateway.path("wsUrl").asText("");
        URI ws = wsUrl.isEmpty() ? null : URI.create(wsUrl);
        return ws == null ? null : InetSocketAddress.createUnresolved(ws.getHost(), ws.getPort());
    }

    /** @param target a client id, or null for a broadcast */
    public CompletableFuture<PushAccepted> push(String target, int qos, String textPayload, int ttlSeconds) {
        StringBuilder body = new StringBuilder(128).append('{');
        if (target == null) {
            body.append("\"broadcast\":true");
        } else {
            body.append("\"to\":\"").append(target).append('"');
        }
        appendMessageFields(body, qos, textPayload, ttlSeconds).append('}');
        return postPush("/api/v1/push", body.toString()).thenApply(r -> readPushAccepted(r.content().array()));
    }

    /** {@code POST /api/v1/push} to every device tagged {@code tag}. */
    public CompletableFuture<PushAccepted> pushToTag(String tag, int qos, String textPayload, int ttlSeconds) {
        StringBuilder body = new StringBuilder(128).append("{\"tag\":\"").append(tag).append('"');
        appendMessageFields(body, qos, textPayload, ttlSeconds).append('}');
        return postPush("/api/v1/push", body.toString()).thenApply(r -> readPushAccepted(r.content().array()));
    }

    /** {@code PUT /api/v1/devices/{id}/tags}: the device's tags become exactly {@code tags} (plain tag names). */
    public CompletableFuture<Void> setTags(String clientId, List<String> tags) {
        String json = "{\"tags\":[" + String.join(",", tags.stream().map(t -> "\"" + t + "\"").toList()) + "]}";
        return send(HttpMethod.PUT, "/api/v1/devices/" + clientId + "/tags", json, true).thenApply(r -> null);
    }

    /**
     * {@code POST /api/v1/push/batch}: one message to each of the client ids, in order, with the same payload.
     *
     * @return the accepted messages in request order, and the count of refused ones
     */
    public CompletableFuture<BatchAccepted> pushBatch(List<String> targets, int qos, String textPayload,
                                                      int ttlSeconds) {
        StringBuilder body = new StringBuilder(32 + targets.size() * (80 + textPayload.length()))
                .append("{\"messages\":[");
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"to\":\"").append(targets.get(i)).append('"');
            appendMessageFields(body, qos, textPayload, ttlSeconds).append('}');
        }
        body.append("]}");
        return postPush("/api/v1/push/batch", body.toString())
                .thenApply(r -> readBatchAccepted(r.content().array(), targets.size()));
    }

    private static StringBuilder appendMessageFields(StringBuilder body, int qos, String textPayload, int ttlSeconds) {
        return body.append(",\"contentType\":\"text\",\"payload\":\"").append(textPayload).append("\",\"qos\":")
                .append(qos).append(",\"ttlSeconds\":").append(ttlSeconds);
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
        return send(client, HttpMethod.POST, path, json, authorized);
    }

    private CompletableFuture<AggregatedHttpResponse> postPush(String path, String json) {
        return send(pushClient, HttpMethod.POST, path, json, true);
    }

    private CompletableFuture<AggregatedHttpResponse> send(HttpMethod method, String path, String json,
                                                          boolean authorized) {
        return send(client, method, path, json, authorized);
    }

    private CompletableFuture<AggregatedHttpResponse> send(WebClient over, HttpMethod method, String path,
                                                          String json, boolean authorized) {
        var request = over.prepare().method(method).path(path);
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

    /** The fields of one push answer the bench counts, read as the parser passes them. */
    private static PushAccepted readPushAccepted(byte[] json) {
        try (JsonParser parser = STREAMING.createParser(json)) {
            parser.nextToken();
            return readAnswer(parser).accepted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {"results":[answer or {"error":...}, ...]}: the accepted answers in order and the count of errors. */
    private static BatchAccepted readBatchAccepted(byte[] json, int expected) {
        List<PushAccepted> accepted = new ArrayList<>(expected);
        int failed = 0;
        String lastError = null;
        try (JsonParser parser = STREAMING.createParser(json)) {
            parser.nextToken(); // {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                parser.nextToken();
                if (!"results".equals(parser.currentName())) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    Answer answer = readAnswer(parser);
                    if (answer.error() != null) {
                        failed++;
                        lastError = answer.error();
                    } else {
                        accepted.add(answer.accepted());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BatchAccepted(accepted, failed, lastError);
    }

    /** One push's answer: what was accepted, or the error (as JSON text). */
    private record Answer(PushAccepted accepted, String error) {
    }

    /** Reads one answer object, the parser on its '{'. */
    private static Answer readAnswer(JsonParser parser) throws IOException {
        long messageId = -1;
        int online = 0;
        int stored = 0;
        int dropped = 0;
        String error = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "messageId" -> messageId = Long.parseUnsignedLong(parser.getText());
                case "online" -> online = parser.getIntValue();
                case "stored" -> stored = parser.getIntValue();
                case "dropped" -> dropped = parser.getIntValue();
                case "error" -> error = parser.readValueAsTree().toString();
                default -> parser.skipChildren();
            }
        }
        if (error == null && messageId < 0) {
            error = "an answer without a messageId";
        }
        return error != null ? new Answer(null, error) : new Answer(new PushAccepted(messageId, online, stored,
                dropped), null);
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
