package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsApiTest {

    @Test
    void healthIsUpWhenEveryCheckIs() {
        try (TestApi api = TestApi.start(s -> s, HealthCheck.of("database", () -> true),
                HealthCheck.of("gateway", () -> true))) {
            TestApi.Reply reply = api.get("/health");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).startsWith("application/json");
            JsonNode json = reply.json();
            assertThat(json.get("status").asText()).isEqualTo("UP");
            assertThat(json.get("checks").get("database").asText()).isEqualTo("UP");
            assertThat(json.get("checks").get("gateway").asText()).isEqualTo("UP");
        }
    }

    @Test
    void healthIsDownWith503WhenACheckFailsOrThrows() {
        AtomicBoolean database = new AtomicBoolean(true);
        try (TestApi api = TestApi.start(s -> s, HealthCheck.of("database", database::get),
                HealthCheck.of("gateway", () -> {
                    throw new IllegalStateException("unreachable");
                }))) {
            TestApi.Reply reply = api.get("/health");

            assertThat(reply.status()).isEqualTo(503);
            JsonNode json = reply.json();
            assertThat(json.get("status").asText()).isEqualTo("DOWN");
            assertThat(json.get("checks").get("database").asText()).isEqualTo("UP");
            assertThat(json.get("checks").get("gateway").asText()).isEqualTo("DOWN");
        }
    }

    @Test
    void healthFollowsTheChecks() {
        AtomicBoolean database = new AtomicBoolean(true);
        try (TestApi api = TestApi.start(s -> s, HealthCheck.of("database", database::get))) {
            assertThat(api.get("/health").status()).isEqualTo(200);
            database.set(false);
            assertThat(api.get("/health").status()).isEqualTo(503);
            assertThat(api.get("/health").json().get("checks").get("database").asText()).isEqualTo("DOWN");
        }
    }

    @Test
    void healthWithoutChecksIsUp() {
        try (TestApi api = TestApi.start()) {
            TestApi.Reply reply = api.get("/health");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("status").asText()).isEqualTo("UP");
            assertThat(reply.json().get("checks").size()).isZero();
        }
    }

    @Test
    void metricsExposeTheApiCountersInPrometheusFormat() {
        try (TestApi api = TestApi.start()) {
            api.post("/api/v1/devices", "{\"clientId\":\"met-1\",\"secret\":\"secret-123\"}");
            api.post("/api/v1/login", "{\"clientId\":\"met-1\",\"secret\":\"secret-123\"}");
            api.post("/api/v1/login", "{\"clientId\":\"met-1\",\"secret\":\"wrong-secret\"}");
            api.postWithKey("/api/v1/push", "{\"to\":[\"met-1\",\"met-2\"],\"payload\":\"x\"}");
            api.postWithKey("/api/v1/push", "{\"broadcast\":true,\"payload\":\"x\"}");

            TestApi.Reply reply = api.get("/metrics");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(reply.body())
                    .contains("herald_http_logins_total{result=\"ok\"} 1.0")
                    .contains("herald_http_logins_total{result=\"failed\"} 1.0")
                    .contains("herald_http_registrations_total{result=\"created\"} 1.0")
                    .contains("herald_http_registrations_total{result=\"existing\"} 0.0")
                    .contains("herald_http_registrations_total{result=\"conflict\"} 0.0")
                    .contains("herald_push_requests_total{kind=\"devices\"} 1.0")
                    .contains("herald_push_requests_total{kind=\"broadcast\"} 1.0")
                    .contains("herald_push_targets_total 2.0")
                    .contains("herald_push_latency_seconds_count{kind=\"devices\",outcome=\"ok\"} 1");
        }
    }

    @Test
    void opsEndpointsNeedNoApiKey() {
        try (TestApi api = TestApi.start()) {
            assertThat(api.get("/health").status()).isEqualTo(200);
            assertThat(api.get("/metrics").status()).isEqualTo(200);
        }
    }
}
