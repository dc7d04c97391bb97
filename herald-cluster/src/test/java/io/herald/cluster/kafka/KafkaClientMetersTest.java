package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The filter in front of kafka-clients' figures keeps the counters, lags and byte sizes operators watch and drops the
 * rest (per-broker copies, millisecond averages); other meters pass. That the kept ones reach a node's page after real
 * traffic: herald-it's RoleMetricsTest.
 */
class KafkaClientMetersTest {

    @Test
    void keepsWhatOperatorsWatchAndDropsTheRest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(KafkaClientMeters.FILTER);
        for (String name : new String[] {"kafka.producer.record.send.total", "kafka.producer.request.latency.avg",
                "kafka.producer.node.request.total", "kafka.consumer.fetch.manager.records.lag.max",
                "kafka.consumer.fetch.manager.fetch.latency.avg", "herald.archiver.lag"}) {
            Gauge.builder(name, () -> 1).register(registry);
        }
        Counter.builder("herald.upstream.messages").register(registry);

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName()).containsExactlyInAnyOrder(
                "kafka.producer.record.send.total", "kafka.consumer.fetch.manager.records.lag.max",
                "herald.archiver.lag", "herald.upstream.messages");
    }
}
