package io.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/** Reads a node's Prometheus {@code /metrics} page, as a monitoring system would. */
final class Metrics {
    /**
     * HTTP/1.1: the JDK client's default h2c upgrade once read a scrape's plain body as HTTP/2 frames ("Frame
     * type(109) length(2912869) exceeds MAX_FRAME_SIZE") in ClusterBroadcastTest; a scrape needs nothing of HTTP/2.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Metrics() {
    }

    /**
     * The sum of every sample of {@code name} (Prometheus spelling, e.g. {@code herald_frames_out_total}) whose
     * labels contain each of {@code labels} (e.g. {@code type="MESSAGE"}).
     */
    static double sum(int opsPort, String name, String... labels) {
        String page = scrape(opsPort);
        double total = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            if (Arrays.stream(labels).allMatch(line::contains)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String scrape(int opsPort) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/metrics on port " + opsPort + ": " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
