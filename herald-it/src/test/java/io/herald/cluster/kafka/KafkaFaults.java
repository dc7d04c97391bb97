package io.herald.cluster.kafka;

/** herald-it's handle on the package-private stop and restart of {@link KafkaTestBroker}. */
public final class KafkaFaults {
    private KafkaFaults() {
    }

    public static void stop(KafkaTestBroker broker) {
        broker.stop();
    }

    /** Same ports, same log directory. */
    public static void restart(KafkaTestBroker broker) {
        broker.restart();
    }
}
