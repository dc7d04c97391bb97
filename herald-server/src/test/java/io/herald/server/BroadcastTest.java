package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.client.ConnectionInfo;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldListener;
import io.herald.client.ReceivedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A broadcast reaches 1,000 SDK clients sharing one ClientResources in this JVM. */
class BroadcastTest {
    private static final Logger log = LoggerFactory.getLogger(BroadcastTest.class);
    private static final int CLIENTS = 1_000;

    @TempDir
    Path dataDir;

    @Test
    void broadcastReachesAThousandConnectedClients() throws Exception {
        try (StandaloneFixture herald = new StandaloneFixture(dataDir)) {
            AtomicInteger received = new AtomicInteger();
            HeraldListener listener = new HeraldListener() {
                @Override
                public void onMessage(ReceivedMessage message) {
                    received.incrementAndGet();
                }

                @Override
                public void onConnected(ConnectionInfo info) {
                }
            };
            List<CompletableFuture<Void>> started = new ArrayList<>();
            long connectStart = System.nanoTime();
            for (int i = 0; i < CLIENTS; i++) {
                HeraldClient client = herald.client("fleet-" + i, listener);
                started.add(client.start());
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long connectMillis = (System.nanoTime() - connectStart) / 1_000_000;
            assertThat(herald.node.gateway().connectionCount()).isEqualTo(CLIENTS);

            long pushStart = System.nanoTime();
            String response = herald.push("{\"broadcast\":true,\"payload\":\"firmware 2.1 available\",\"qos\":0}")
                    .body();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> received.get() == CLIENTS);
            long deliverMillis = (System.nanoTime() - pushStart) / 1_000_000;

            assertThat(new ObjectMapper().readTree(response).get("online").asInt()).isEqualTo(CLIENTS);
            log.warn("broadcast e2e: {} clients registered+logged in+connected in {} ms; broadcast delivered to all"
                    + " in {} ms", CLIENTS, connectMillis, deliverMillis);
        }
    }
}
