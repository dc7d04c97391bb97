package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.HeraldClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a Prometheus user reads on /metrics (issue 9, "metrics"): a HELP text on every family, latency as a histogram
 * with buckets (aggregatable across nodes), process CPU in seconds, device AUTHs named apart from HTTP logins, and
 * offline counters that mean what they say.
 */
class MetricsExpositionTest extends StandaloneNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void everyFamilyHasHelpLatencyHasBucketsCpuIsInSeconds() throws Exception {
        herald.client("scraped", new RecordingListener()).start().get(10, TimeUnit.SECONDS);
        assertThat(herald.push("{\"to\":\"scraped\",\"payload\":\"m\"}").statusCode()).isEqualTo(202);

        String metrics = herald.get("/metrics").body();

        List<String> emptyHelp = new ArrayList<>();
        Matcher help = Pattern.compile("(?m)^# HELP (\\S+)(.*)$").matcher(metrics);
        int families = 0;
        while (help.find()) {
            families++;
            if (help.group(2).isBlank()) {
                emptyHelp.add(help.group(1));
            }
        }
        assertThat(families).isGreaterThan(20);
        assertThat(emptyHelp).as("families without HELP text").isEmpty();
        assertThat(metrics).containsPattern("(?m)^herald_push_latency_seconds_bucket\\{.*le=\"\\+Inf\".*} 1(\\.0)?$")
                .contains("# TYPE herald_push_latency_seconds histogram");
        assertThat(metrics).containsPattern("(?m)^process_cpu_seconds_total\\{.*} \\d+\\.\\d+")
                .doesNotContain("process_cpu_time_ns");
        assertThat(metrics).contains("herald_device_auths_total{").contains("herald_http_logins_total{")
                .doesNotContain("herald_logins_total");
    }

    /**
     * A QoS 1 push to a connected device is a live delivery, even though it is written to the store first; a push
     * while the device is offline is stored, and its replay after the reconnect is the offline delivery.
     */
    @Test
    void offlineCountersCountOnlyWhatWentThroughTheStoreForAnOfflineDevice() throws Exception {
        RecordingListener device = new RecordingListener();
        HeraldClient online = herald.client("counted", device);
        online.start().get(10, TimeUnit.SECONDS);
        herald.push("{\"to\":\"counted\",\"payload\":\"live\",\"qos\":1}");
        await().atMost(WAIT).until(() -> device.texts().contains("live"));
        online.close();
        await().atMost(WAIT).until(() -> !herald.get("/api/v1/devices/counted").body().contains("\"online\":true"));

        herald.push("{\"to\":\"counted\",\"payload\":\"while away\",\"qos\":1}");
        RecordingListener back = new RecordingListener();
        herald.client("counted", back).start().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> back.texts().contains("while away"));

        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = herald.get("/metrics").body();
            assertThat(value(metrics, "herald_offline_stored_total")).isEqualTo(1.0);
            assertThat(value(metrics, "herald_offline_delivered_total")).isEqualTo(1.0);
        });
    }

    private static double value(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(metrics);
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
        }
        return sum;
    }
}
