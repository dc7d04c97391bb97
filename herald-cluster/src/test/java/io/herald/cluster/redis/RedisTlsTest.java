package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} for real: a private redis-server serving TLS with a certificate from a CA made for the test.
 * Herald trusts that CA through {@code tlsTrust} and checks that the certificate names the host of the URI.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTlsTest {
    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static RedisServerProcess server;

    @BeforeAll
    static void startTlsServer() throws Exception {
        TestLogging.quietClientLibraries();
        ca = new TestCertificates("Redis Test CA");
        Path[] files = TestCertificates.write(dir, "redis", ca.issue("127.0.0.1"));
        server = RedisServerProcess.startTls(files[0], files[1]);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void commandsGoOverTlsWhenTheServersCaIsTrusted() {
        RedisSettings settings = RedisSettings.of(server.tlsUri()).withTlsTrust(ca.writeTrust(dir));

        try (RedisConnections redis = RedisConnections.open(settings)) {
            redis.sync().set("herald:tls", "over TLS");

            assertThat(redis.sync().get("herald:tls")).isEqualTo("over TLS");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        Path otherCa = Files.createDirectories(dir.resolve("other"));
        RedisSettings settings = RedisSettings.of(server.tlsUri())
                .withTlsTrust(new TestCertificates("Another CA").writeTrust(otherCa));

        assertThatThrownBy(() -> RedisConnections.open(settings).close())
                .hasStackTraceContaining("PKIX path");
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        Path named = Files.createDirectories(dir.resolve("named"));
        Path[] files = TestCertificates.write(named, "redis", ca.issue("redis.internal"));
        try (RedisServerProcess misnamed = RedisServerProcess.startTls(files[0], files[1])) {
            RedisSettings settings = RedisSettings.of(misnamed.tlsUri()).withTlsTrust(ca.writeTrust(named));

            assertThatThrownBy(() -> RedisConnections.open(settings).close())
                    .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
        }
    }
}
