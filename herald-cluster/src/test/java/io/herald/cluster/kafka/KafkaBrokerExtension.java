package io.herald.cluster.kafka;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a {@link KafkaTestBroker} parameter. One broker serves every test class of the run (starting one
 * takes several seconds); JUnit closes it when the run ends. A test that stops the broker must start it again;
 * should it fail before that, the next class gets a restarted broker.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        quietExpectedDuplicateKeyWarnings();
        KafkaTestBroker broker = broker(context);
        if (!broker.isRunning()) {
            broker.restart();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaTestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static KafkaTestBroker broker(ExtensionContext context) {
        // The root store outlives every class and closes its AutoCloseable values when the run ends.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KafkaTestBroker.class, key -> KafkaTestBroker.start(), KafkaTestBroker.class);
    }

    /**
     * MariaDB Connector/J logs every server error at WARN, the duplicate keys that the archive's idempotent insert
     * expects (and recovers from) included: the replay and resend tests would print hundreds of them.
     */
    private static void quietExpectedDuplicateKeyWarnings() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.mariadb")).setLevel(Level.ERROR);
    }
}
