package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.ClientResources;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldListener;
import io.herald.client.ReceivedMessage;
import io.herald.client.SendResult;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a standalone server answered 202 (QoS 1 push) or ACK OK (upstream message) is in its database file when the
 * answer leaves: a standalone process is killed with SIGKILL the moment the last answer of a burst arrives, started
 * again on the same data directory, and every accepted push must then reach its device and every acknowledged
 * upstream message must be in the archive. Several rounds, each on the data the previous kills left.
 */
class StandaloneSigkillTest {
    private static final Logger log = LoggerFactory.getLogger(StandaloneSigkillTest.class);
    private static final String API_KEY = "sigkill-test-api-key";
    private static final int ROUNDS = 4;
    private static final int OFFLINE_DEVICES = 10;
    private static final int PUSHES = 100;
    private static final int SENDERS = 4;
    private static final int UPSTREAM_PER_SENDER = 50;

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everythingAnsweredBeforeASigkillIsThereAfterTheRestart() throws Exception {
        StandaloneProcess server = StandaloneProcess.start(home, API_KEY);
        try (ClientResources resources = ClientResources.create()) {
            for (int round = 1; round <= ROUNDS; round++) {
                String prefix = "r" + round;
                List<String> offline = new ArrayList<>();
                for (int i = 0; i < OFFLINE_DEVICES; i++) {
                    offline.add(prefix + "-off-" + i);
                    register(server, offline.get(i));
                }
                List<HeraldClient> senders = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) {
                    HeraldClient sender = HeraldClient.create(resources, server.deviceOptions(prefix + "-up-" + i),
                            new HeraldListener() { });
                    sender.start().get(10, TimeUnit.SECONDS);
                    senders.add(sender);
                }

                // The burst: pushes and upstream messages at once, as fast as they are answered.
                Set<String> accepted = ConcurrentHashMap.newKeySet();
                Set<String> acked = ConcurrentHashMap.newKeySet();
                List<CompletableFuture<?>> answers = new ArrayList<>();
                for (int i = 0; i < PUSHES; i++) {
                    String payload = prefix + "-push-" + i;
                    String body = "{\"to\":\"" + offline.get(i % OFFLINE_DEVICES) + "\",\"payload\":\"" + payload
                            + "\",\"qos\":1}";
                    answers.add(http.sendAsync(server.post("/api/v1/push", body, true),
                            HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                                if (response.statusCode() == 202) {
                                    accepted.add(payload);
                                }
                            }));
                }
                for (int s = 0; s < SENDERS; s++) {
                    for (int i = 0; i < UPSTREAM_PER_SENDER; i++) {
                        String text = prefix + "-up-" + s + "-" + i;
                        CompletableFuture<SendResult> sent = senders.get(s).sendText(text);
                        answers.add(sent.thenAccept(result -> acked.add(text)));
                    }
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                server.kill();
                senders.forEach(HeraldClient::close);
                assertThat(accepted).as("pushes answered 202").hasSize(PUSHES);
                assertThat(acked).as("upstream messages answered ACK OK").hasSize(SENDERS * UPSTREAM_PER_SENDER);

                server = StandaloneProcess.start(home, API_KEY);
                Set<String> archived = new HashSet<>();
                for (int s = 0; s < SENDERS; s++) {
                    archived.addAll(server.archivedTexts(prefix + "-up-" + s));
                }
                Set<String> delivered = ConcurrentHashMap.newKeySet();
                List<HeraldClient> receivers = new ArrayList<>();
                for (String clientId : offline) {
                    HeraldClient receiver = HeraldClient.create(resources, server.deviceOptions(clientId),
                            new HeraldListener() {
                                @Override
                                public void onMessage(ReceivedMessage message) {
                                    delivered.add(message.payloadAsString());
                                }
                            });
                    receivers.add(receiver);
                    receiver.start();
                }
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> delivered.containsAll(accepted));
                } catch (ConditionTimeoutException e) {
                    // reported below with the exact difference
                }
                receivers.forEach(HeraldClient::close);
                Set<String> lostPushes = new HashSet<>(accepted);
                lostPushes.removeAll(delivered);
                Set<String> lostUpstream = new HashSet<>(acked);
                lostUpstream.removeAll(archived);
                log.info("round {}: lost {} of {} accepted pushes and {} of {} acknowledged upstream messages",
                        round, lostPushes.size(), accepted.size(), lostUpstream.size(), acked.size());
                assertThat(lostPushes).as("round %d: accepted (202) QoS 1 pushes never delivered", round).isEmpty();
                assertThat(lostUpstream).as("round %d: ACK OK upstream messages not archived", round).isEmpty();
            }
            // The data directory and the database file are private to the account (the test JVM's umask is 022).
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("data"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    home.resolve("data").resolve("herald.mv.db")))).isEqualTo("rw-------");
        } finally {
            server.close();
        }
    }

    private void register(StandaloneProcess server, String clientId) throws Exception {
        HttpResponse<String> response = http.send(server.post("/api/v1/devices",
                "{\"clientId\":\"" + clientId + "\",\"secret\":\"" + StandaloneProcess.DEVICE_SECRET + "\"}",
                false), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }
}
