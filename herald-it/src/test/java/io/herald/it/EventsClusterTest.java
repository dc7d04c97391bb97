package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.testing.WebhookReceiver;
import io.herald.api.webhook.WebhookSettings;
import io.herald.cluster.kafka.ArchiveDatabase;
import io.herald.cluster.kafka.KafkaBrokerExtension;
import io.herald.cluster.kafka.KafkaSettings;
import io.herald.cluster.kafka.KafkaTestBroker;
import io.herald.cluster.routing.RoutingStrategies;
import io.herald.server.cluster.ClusterEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events of a cluster (two gateways, one API node on PostgreSQL, Redis, a real Kafka broker): a device's connect,
 * the ACK of a QoS 1 push and its disconnect reach the events topic, keyed by its client id and in that order, and
 * the webhook; the API node answers the message's status from the shared database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith({KafkaBrokerExtension.class, NettyLeakCheck.class})
class EventsClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "cluster-webhook-secret";

    private ClusterServices services;
    private ArchiveDatabase database;
    private WebhookReceiver receiver;
    private TestCluster cluster;
    private TestDevices devices;
    private KafkaSettings eventsTopic;

    @BeforeAll
    void startCluster(KafkaTestBroker broker) throws Exception {
        services = ClusterServices.start(broker);
        database = ArchiveDatabase.create(ArchiveDatabase.Server.POSTGRESQL);
        receiver = WebhookReceiver.start();
        ClusterEvents events = new ClusterEvents(null, new WebhookSettings(receiver.url(), SECRET, 1000, 50,
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(500)),
                Duration.ofHours(1)).withTopic(services.kafka(), services.kafka().topic() + ".events");
        eventsTopic = events.kafka();
        cluster = TestCluster.start(services, database.settings(), List.of("gw-e1", "gw-e2"),
                List.of(RoutingStrategies.ROUND_ROBIN), false, 0, UnaryOperator.identity(), events);
        devices = new TestDevices();
    }

    @AfterAll
    void stopCluster() throws Exception {
        Closing.inOrder(devices, cluster, receiver, database, services);
    }

    @Test
    void aDevicesConnectAckAndDisconnectAreOnTheTopicInOrderAndAtTheWebhook() throws Exception {
        HttpApi api = cluster.api(0);
        TestDevices.Device device = devices.connect("evt-1", api);
        HttpApi.PushAnswer answer = api.push("{\"to\":\"evt-1\",\"payload\":\"ring\",\"qos\":1}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> device.listener().countOf(answer.messageId()) == 1);
        // The SDK acks on receipt; the gateway's group commit records the outcome with the delete.
        await().atMost(WAIT).until(() -> state(api, answer.messageId()).equals("acked"));
        device.client().close();

        List<ConsumerRecord<String, byte[]>> records = readUntil(3, "evt-1");
        assertThat(records).allSatisfy(record -> assertThat(record.key()).isEqualTo("evt-1"));
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        List<JsonNode> events = records.stream().map(EventsClusterTest::json).toList();
        assertThat(events).extracting(event -> event.get("type").asText())
                .containsExactly("device.connected", "message.acked", "device.disconnected");
        assertThat(events.get(0).get("nodeId").asText()).isEqualTo(cluster.gatewayIdOf(device.gateway()));
        assertThat(events.get(1).get("messageId").asText()).isEqualTo(answer.messageId());
        assertThat(events.get(2).get("reason").asText()).isEqualTo("client_closed");
        assertThat(events).allSatisfy(event -> assertThat(event.get("v").asInt()).isEqualTo(1));

        for (JsonNode event : events) {
            receiver.awaitEvent(posted -> posted.get("id").asText().equals(event.get("id").asText()), WAIT);
        }
    }

    private static String state(HttpApi api, String messageId) {
        JsonNode status = json(api.messageStatus(messageId).body());
        return status.path("devices").path(0).path("state").asText();
    }

    /** The events topic from its start until {@code count} records keyed {@code key} were read. */
    private List<ConsumerRecord<String, byte[]>> readUntil(int count, String key) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, eventsTopic.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(eventsTopic.topic()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        read.add(record);
                    }
                }
            }
            return read;
        }
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
