package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.message.UpstreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(60)
class PublisherOutageTest {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void publishFailsWithinTheDeliveryTimeoutWhileTheBrokerIsDownAndWorksAgainAfterItsRestart(
            KafkaTestBroker broker) throws Exception {
        KafkaSettings settings = broker.uniqueSettings().withDeliveryTimeout(DELIVERY_TIMEOUT);
        UpstreamMessage before = DeviceTraffic.message("device-1", 1);
        UpstreamMessage during = DeviceTraffic.message("device-1", 2);
        UpstreamMessage after = DeviceTraffic.message("device-1", 3);

        try (KafkaUpstreamPublisher publisher = new KafkaUpstreamPublisher(settings)) {
            publisher.publish(before).get(10, TimeUnit.SECONDS);

            broker.stop();
            long started = System.nanoTime();
            CompletableFuture<Void> unacknowledged = publisher.publish(during);
            assertThatThrownBy(() -> unacknowledged.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UpstreamPublishException.class)
                    .hasMessageContaining("Kafka did not acknowledge upstream message 2 of device-1 on topic "
                            + settings.topic() + " within PT3S");
            Duration failedAfter = Duration.ofNanos(System.nanoTime() - started);
            assertThat(failedAfter).isBetween(DELIVERY_TIMEOUT.minusMillis(500), DELIVERY_TIMEOUT.plusSeconds(5));

            broker.restart();
            publisher.publish(after).get(20, TimeUnit.SECONDS);
        } finally {
            if (!broker.isRunning()) {
                broker.restart();
            }
        }

        // The failed message never reached the topic: the device, not acked, resends it.
        List<UpstreamMessage> topic = UpstreamReader.readAll(settings, 2, Duration.ofSeconds(15)).stream()
                .map(UpstreamReader.Read::message).toList();
        assertThat(topic).containsExactly(before, after);
    }
}
