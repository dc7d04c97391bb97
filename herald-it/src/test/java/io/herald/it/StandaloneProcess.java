package io.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.HeraldClientOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code herald standalone} in a JVM of its own, started as an operator would on this JVM's class path, so that a
 * test can kill it outright (SIGKILL) and start it again on the same data directory. Its output goes to
 * {@code standalone.log} next to the data directory (a restart appends to it); a failed start reports its tail.
 */
final class StandaloneProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** StandaloneCommand prints this once every listener is up. */
    private static final Pattern UP = Pattern.compile("Herald standalone is up: HTTP \\S+:(\\d+)\\s+device TCP (\\d+)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String DEVICE_SECRET = "secret-0123456789";

    private final Process process;
    private final Thread reaper;
    private final String apiKey;
    final int httpPort;
    final int tcpPort;

    private StandaloneProcess(Process process, Thread reaper, String apiKey, int httpPort, int tcpPort) {
        this.process = process;
        this.reaper = reaper;
        this.apiKey = apiKey;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    /** Starts {@code herald standalone --data-dir home/data} on free loopback ports; returns once it is up. */
    static StandaloneProcess start(Path home, String apiKey, String... extraOptions) throws IOException {
        Path output = home.resolve("standalone.log");
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, GatewayProcess.LOGBACK);
        int skip = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8).length() : 0;
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"),
                "io.herald.server.HeraldMain", "standalone",
                "--data-dir", home.resolve("data").toString(),
                "--bind", "127.0.0.1", "--public-host", "127.0.0.1",
                "--http-port", "0", "--tcp-port", "0", "--ws-port", "-1",
                "--api-key", apiKey, "--registrations-per-address", "off"));
        command.addAll(List.of(extraOptions));
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        Thread reaper = new Thread(process::destroyForcibly, "standalone-process-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher up = UP.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (up.find(skip)) {
                return new StandaloneProcess(process, reaper, apiKey, Integer.parseInt(up.group(1)),
                        Integer.parseInt(up.group(2)));
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(reaper);
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                throw new IllegalStateException("standalone did not start:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            }
            GatewayProcess.sleep(50);
        }
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

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed by the server; returns once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("standalone (pid " + process.pid() + ") did not die");
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
