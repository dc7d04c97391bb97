package io.herald.cluster.redis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for the Redis tests, set in code so that they hold whatever logback-test.xml the module has (or none, in
 * which case Logback logs everything at DEBUG and Lettuce logs every command): client libraries at WARN, and this
 * package at INFO, because the timings the tests measure are logged there.
 */
final class TestLogging {
    private TestLogging() {
    }

    static void quietClientLibraries() {
        level("io.lettuce", Level.WARN);
        level("io.netty", Level.WARN);
        level("reactor", Level.WARN);
        level("io.herald.cluster.redis", Level.INFO);
    }

    private static void level(String name, Level level) {
        ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
    }
}
