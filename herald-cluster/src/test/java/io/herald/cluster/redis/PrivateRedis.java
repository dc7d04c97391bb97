package io.herald.cluster.redis;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private redis-server and the connections to it for one test class, emptied before each test. Register it as a
 * static field with {@code @RegisterExtension}.
 */
final class PrivateRedis implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final UnaryOperator<RedisSettings> adjust;
    private RedisServerProcess server;
    private RedisConnections connections;

    /** Connects with the default settings. */
    PrivateRedis() {
        this(UnaryOperator.identity());
    }

    /** Connects with the default settings as {@code adjust} changes them. */
    PrivateRedis(UnaryOperator<RedisSettings> adjust) {
        this.adjust = adjust;
    }

    RedisServerProcess server() {
        return server;
    }

    RedisConnections connections() {
        return connections;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestLogging.quietClientLibraries();
        server = RedisServerProcess.start();
        connections = RedisConnections.open(adjust.apply(RedisSettings.of(server.uri())));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        connections.sync().flushall();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (connections != null) {
                connections.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }
}
