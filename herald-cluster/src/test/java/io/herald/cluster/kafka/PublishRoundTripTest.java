package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.message.UpstreamMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(60)
class PublishRoundTripTest {
    private static final Logger log = LoggerFactory.getLogger(PublishRoundTripTest.class);

    @Test
    void everyFieldAndEachDevicesOrderSurviveThePartitionedTopic(KafkaTestBroker broker) throws Exception {
        KafkaSettings settings = broker.uniqueSettings();
        List<String> clients = IntStream.rangeClosed(1, 50).mapToObj(DeviceTraffic::clientId).toList();
        List<UpstreamMessage> sent = DeviceTraffic.interleaved(clients, 40);

        Duration took;
        try (KafkaUpstreamPublisher publisher = new KafkaUpstreamPublisher(settings)) {
            took = Publishing.publishAll(publisher, sent, Duration.ofSeconds(30));
        }
        log.info("PublishRoundTripTest: {} messages acknowledged in {} ms ({} messages/s)", sent.size(),
                took.toMillis(), Publishing.perSecond(sent.size(), took));
        List<UpstreamReader.Read> read = UpstreamReader.readAll(settings, sent.size(), Duration.ofSeconds(30));

        assertThat(read).hasSize(sent.size());
        assertThat(read.stream().map(UpstreamReader.Read::message).toList())
                .containsExactlyInAnyOrderElementsOf(sent);
        Map<String, List<UpstreamMessage>> readByClient = byClient(read.stream()
                .map(UpstreamReader.Read::message).toList());
        assertThat(readByClient).isEqualTo(byClient(sent));
        Map<String, Set<Integer>> partitionsByClient = read.stream().collect(Collectors.groupingBy(
                r -> r.message().clientId(), Collectors.mapping(UpstreamReader.Read::partition, Collectors.toSet())));
        assertThat(partitionsByClient.values()).allSatisfy(partitions -> assertThat(partitions).hasSize(1));
        assertThat(read.stream().map(UpstreamReader.Read::partition).distinct().count())
                .as("50 client ids spread over the 12 partitions").isGreaterThan(6);
    }

    /** Each client's messages in the order they appear. */
    private static Map<String, List<UpstreamMessage>> byClient(List<UpstreamMessage> messages) {
        return messages.stream().collect(Collectors.groupingBy(UpstreamMessage::clientId, LinkedHashMap::new,
                Collectors.toList()));
    }
}
