package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kill of the standalone node keeps of its QoS 1 messages, which live in the in-flight log beside the
 * database: a copy of the data directory taken while the node runs (what a SIGKILL leaves on disk) starts a node
 * that delivers every message a push was answered "stored" for, and none that a device had acked.
 */
class InflightLogKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tempDir;

    @Test
    void aNodeStartedFromWhatAKillLeavesDeliversTheStoredAndNotTheAckedMessages() throws Exception {
        Path live = tempDir.resolve("live");
        Path killed = tempDir.resolve("killed");
        try (StandaloneFixture first = new StandaloneFixture(live)) {
            first.register("away");
            RecordingListener online = new RecordingListener();
            first.client("online", online).start().get(10, TimeUnit.SECONDS);
            stored(first.push("{\"to\":\"online\",\"payload\":\"acked\",\"qos\":1}")); // counted as sent
            await().atMost(Duration.ofSeconds(10)).until(() -> online.texts().contains("acked"));
            await().atMost(Duration.ofSeconds(10)).until(() -> pending(first, "online") == 0);
            // Answered once its record is synced, which also syncs the ACK's tombstone queued before it.
            assertThat(stored(first.push("{\"to\":\"away\",\"payload\":\"kept\",\"qos\":1}"))).isEqualTo(1);
            copy(live, killed);
        }

        try (StandaloneFixture second = new StandaloneFixture(killed)) {
            RecordingListener away = new RecordingListener();
            second.client("away", away).start().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> away.messages.size() == 1);
            assertThat(away.texts()).containsExactly("kept");

            RecordingListener online = new RecordingListener();
            second.client("online", online).start().get(10, TimeUnit.SECONDS);
            second.push("{\"to\":\"online\",\"payload\":\"after\",\"qos\":1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> online.messages.size() == 1);
            assertThat(online.texts()).as("the acked message is not replayed ahead of the new one")
                    .containsExactly("after");
        }
    }

    private static int stored(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return JSON.readTree(response.body()).get("stored").asInt();
    }

    private static int pending(StandaloneFixture node, String clientId) throws IOException, InterruptedException {
        return JSON.readTree(node.get("/api/v1/devices/" + clientId).body()).get("pendingMessages").asInt();
    }

    /** Every file of the data directory as it is on disk now (H2's file lock excepted). */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && !file.getFileName().toString().endsWith(".lock.db")) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
