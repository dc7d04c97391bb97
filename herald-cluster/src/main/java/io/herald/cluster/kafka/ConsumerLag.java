package io.herald.cluster.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer is behind on the partitions assigned to it. */
final class ConsumerLag {
    private ConsumerLag() {
    }

    /**
     * The sum over assigned partitions of end offset minus position. For a {@code read_committed} consumer the end
     * offset is the last stable offset, so an open transaction does not count as lag. Call it on the consumer's
     * own thread; it asks the brokers, waiting at most {@code timeout}.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the brokers do not answer in time
     */
    static long of(Consumer<?, ?> consumer, Duration timeout) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
        long lag = 0;
        for (TopicPartition partition : assigned) {
            Long end = ends.get(partition);
            if (end != null) {
                lag += Math.max(0, end - consumer.position(partition, timeout));
            }
        }
        return lag;
    }
}
