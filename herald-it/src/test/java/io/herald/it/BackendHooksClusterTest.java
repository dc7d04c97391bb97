package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a business backend uses beyond "push to ids", on a cluster of two gateways and two API nodes on PostgreSQL
 * with Redis and Kafka: pushes to a tag, reaching devices on both gateways and stored for offline ones, and retries
 * that push once across API nodes ({@code Idempotency-Key}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class BackendHooksClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ClusterServices services;
    private ArchiveDatabase database;
    private TestCluster cluster;
    private TestDevices devices;
    private HttpApi apiA;
    private HttpApi apiB;

    @BeforeAll
    void startCluster(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.POSTGRESQL);
        cluster = TestCluster.start(services, database.settings(), List.of("gw-h1", "gw-h2"),
                List.of(RoutingStrategies.ROUND_ROBIN, RoutingStrategies.ROUND_ROBIN), false);
        apiA = cluster.api(0);
        apiB = cluster.api(1);
        devices = new TestDevices();
    }

    @AfterAll
    void stopCluster() throws Exception {
        Closing.inOrder(devices, cluster, database, services);
    }

    @Test
    void aPushToATagReachesItsDevicesOnEveryGatewayAndIsStoredForTheOfflineOne() {
        List<TestDevices.Device> online = devices.connectAll(List.of("tag-1", "tag-2", "tag-3", "tag-4"), apiA);
        assertThat(online.stream().map(TestDevices.Device::gateway).distinct()).hasSize(2);
        TestDevices.Device untagged = devices.connect("tag-untagged", apiA);
        apiA.register("tag-offline");
        for (String id : List.of("tag-1", "tag-2", "tag-3", "tag-4", "tag-offline")) {
            assertThat(apiA.putWithKey("/api/v1/devices/" + id + "/tags", "{\"tags\":[\"fleet-h\"]}").statusCode())
                    .isEqualTo(200);
        }

        HttpApi.PushAnswer answer = apiB.push("{\"tag\":\"fleet-h\",\"payload\":\"to the fleet\",\"qos\":1}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(answer.online()).as(answer.body()).isEqualTo(4);
        assertThat(answer.stored()).isEqualTo(1);
        for (TestDevices.Device device : online) {
            await().atMost(WAIT).until(() -> device.listener().countOf(answer.messageId()) == 1);
        }
        TestDevices.Device late = devices.connect("tag-offline", apiB);
        await().atMost(WAIT).until(() -> late.listener().countOf(answer.messageId()) == 1);
        assertThat(untagged.listener().countOf(answer.messageId())).isZero();
    }

    @Test
    void concurrentRetriesThroughBothApiNodesPushOnce() throws Exception {
        apiA.register("idem-offline");
        String push = "{\"to\":\"idem-offline\",\"payload\":\"once\",\"qos\":1}";
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpApi api = i % 2 == 0 ? apiA : apiB;
            sent.add(CompletableFuture.supplyAsync(() -> {
                awaitQuietly(start);
                return api.postWithKey("/api/v1/push", push, "Idempotency-Key", "retry-7f3a");
            }));
        }
        start.countDown();
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isIn(202, 409));
        List<String> messageIds = new ArrayList<>();
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() == 202) {
                messageIds.add(JSON.readTree(answer.body()).get("messageId").asText());
            }
        }
        assertThat(messageIds).isNotEmpty();
        assertThat(messageIds).containsOnly(messageIds.get(0));
        assertThat(apiB.device("idem-offline").get("pendingMessages").asInt()).isEqualTo(1);

        HttpResponse<String> replay = apiB.postWithKey("/api/v1/push", push, "Idempotency-Key", "retry-7f3a");
        assertThat(replay.headers().firstValue("idempotent-replayed")).contains("true");
        HttpResponse<String> reused = apiA.postWithKey("/api/v1/push", push.replace("once", "twice"),
                "Idempotency-Key", "retry-7f3a");
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(apiA.device("idem-offline").get("pendingMessages").asInt()).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
