package io.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.HeraldClientOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code herald standalone} in a JVM of its own ({@link HeraldProcess}), so that a test can kill it outright
 * (SIGKILL) and start it again on the same data directory, and the HTTP calls tests make to it.
 */
final class StandaloneProcess implements AutoCloseable {
    /** StandaloneCommand prints this once every listener is up. */
    private static final Pattern UP = Pattern.compile(
            "Herald standalone is up: HTTP \\S+:(\\d+)\\s+device TCP (\\d+)\\s+WebSocket (-?\\d+)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String DEVICE_SECRET = "secret-0123456789";

    private final HeraldProcess process;
    private final String apiKey;
    final int httpPort;
    final int tcpPort;
    /** -1 when the WebSocket listener is off. */
    final int wsPort;

    private StandaloneProcess(HeraldProcess process, String apiKey, int httpPort, int tcpPort, int wsPort) {
        this.process = process;
        this.apiKey = apiKey;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
        this.wsPort = wsPort;
    }

    /** Starts {@code herald standalone --data-dir home/data} on free loopback ports; returns once it is up. */
    static StandaloneProcess start(Path home, String apiKey, String... extraOptions) throws IOException {
        return start(home, apiKey, 0, -1, extraOptions);
    }

    /**
     * With the WebSocket listener on: on these HTTP and WebSocket ports (0: a free one), e.g. to start a node again
     * where its browser devices expect it.
     */
    static StandaloneProcess startWithWebSocket(Path home, String apiKey, int httpPort, int wsPort,
                                                String... extraOptions) throws IOException {
        return start(home, apiKey, httpPort, wsPort, extraOptions);
    }

    private static StandaloneProcess start(Path home, String apiKey, int httpPort, int wsPort,
                                           String... extraOptions) throws IOException {
        List<String> args = new ArrayList<>(List.of("standalone",
                "--data-dir", home.resolve("data").toString(),
                "--bind", "127.0.0.1", "--public-host", "127.0.0.1",
                "--http-port", Integer.toString(httpPort), "--tcp-port", "0", "--ws-port", Integer.toString(wsPort),
                "--api-key", apiKey, "--registrations-per-address", "off"));
        args.addAll(List.of(extraOptions));
        HeraldProcess process = HeraldProcess.start(home, args, UP);
        return new StandaloneProcess(process, apiKey, process.upGroup(1), process.upGroup(2), process.upGroup(3));
    }

    String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** An SDK device of this server that registers itself with {@link #DEVICE_SECRET}. */
    HeraldClientOptions deviceOptions(String clientId) {
        return HeraldClientOptions.builder().apiUrl(url("")).clientId(clientId).secret(DEVICE_SECRET)
                .registerIfMissing(true).build();
    }

    /** A POST with a JSON body, with the API key or without. */
    HttpRequest post(String path, String json, boolean withKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (withKey) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return request.build();
    }

    /** The payloads of the device's archived upstream messages (GET /api/v1/devices/{id}/messages), up to 1,000. */
    List<String> archivedTexts(String clientId) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(url("/api/v1/devices/" + clientId + "/messages?limit=1000")))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + apiKey).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("messages of " + clientId + ": " + response.statusCode() + " "
                    + response.body());
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode message : JSON.readTree(response.body()).get("messages")) {
            texts.add(message.get("payload").asText());
        }
        return texts;
    }

    /** SIGTERM: drains its devices (RECONNECT notices) and stops; returns once the process is gone. */
    void stop() throws InterruptedException {
        process.stop();
    }

    /** SIGKILL; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
