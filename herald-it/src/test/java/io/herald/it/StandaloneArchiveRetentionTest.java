package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald standalone --archive-retention}: upstream messages older than the retention leave the archive (the
 * cleanup's first pass runs at start), newer ones stay; {@code off} keeps everything.
 */
class StandaloneArchiveRetentionTest {
    private static final String API_KEY = "retention-test-api-key";

    @TempDir
    Path home;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void messagesOlderThanTheRetentionAreDeletedAndNewerOnesKept() throws Exception {
        try (ClientResources resources = ClientResources.create()) {
            try (StandaloneProcess server = StandaloneProcess.start(home, API_KEY, "--archive-retention", "off")) {
                send(resources, server, "old-1", "old-2");
                server.kill();
            }
            try (StandaloneProcess server = StandaloneProcess.start(home, API_KEY, "--archive-retention", "off")) {
                assertThat(server.archivedTexts("sender")).as("off keeps them")
                        .containsExactlyInAnyOrder("old-1", "old-2");
                server.kill();
            }
            Thread.sleep(2_100); // the first two are now older than the retention below
            try (StandaloneProcess server = StandaloneProcess.start(home, API_KEY, "--archive-retention", "2s")) {
                send(resources, server, "new-1");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(server.archivedTexts("sender")).containsExactly("new-1"));
            }
        }
    }

    private static void send(ClientResources resources, StandaloneProcess server, String... texts) throws Exception {
        try (HeraldClient client = HeraldClient.create(resources, server.deviceOptions("sender"),
                new HeraldListener() { })) {
            client.start().get(10, TimeUnit.SECONDS);
            for (String text : texts) {
                client.sendText(text).get(10, TimeUnit.SECONDS);
            }
        }
    }
}
