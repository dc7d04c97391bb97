package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone's probes: {@code /health/live} checks the process (its device event loops), {@code /health/ready} and
 * {@code /health} its dependencies. The outage cases run on a cluster, in herald-it's HealthProbesTest.
 */
class HealthProbesStandaloneTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void livenessChecksTheEventLoopsAndReadinessTheDependencies() throws Exception {
        try (StandaloneFixture herald = new StandaloneFixture(dataDir)) {
            HttpResponse<String> live = herald.get("/health/live");
            HttpResponse<String> ready = herald.get("/health/ready");
            HttpResponse<String> health = herald.get("/health");

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(checks(live)).containsExactly("event-loops");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(checks(ready)).containsExactly("database", "gateway");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo(ready.body());
        }
    }

    private static List<String> checks(HttpResponse<String> response) throws Exception {
        JsonNode checks = JSON.readTree(response.body()).get("checks");
        List<String> names = new ArrayList<>();
        checks.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
