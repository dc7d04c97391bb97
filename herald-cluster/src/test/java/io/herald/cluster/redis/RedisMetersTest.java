package io.herald.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis figures from Lettuce's hooks against a real redis-server: command latencies by command, and failures by
 * reason (an error reply, a timeout while Redis is down), a NOSCRIPT miss (which LuaScript answers with EVAL) not
 * among them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void quietLogs() {
        TestLogging.quietClientLibraries();
    }

    @Test
    void commandsAreTimedAndFailuresCountedByReason() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
             RedisConnections redis = RedisConnections.open(RedisSettings.of(server.uri())
                     .withCommandTimeout(Duration.ofMillis(300)), registry)) {
            redis.sync().set("metered", "text");
            assertThatThrownBy(() -> redis.sync().incr("metered")).isInstanceOf(RedisCommandExecutionException.class);
            assertThatThrownBy(() -> redis.sync().evalsha("0000000000000000000000000000000000000000",
                    ScriptOutputType.INTEGER)).isInstanceOf(RedisNoScriptException.class);

            await().atMost(Duration.ofSeconds(5)).until(() -> completions("SET") >= 1);
            assertThat(errors("reply")).isEqualTo(1);
            assertThat(errors("timeout")).isZero();

            server.kill();
            assertThatThrownBy(() -> redis.async().get("metered").toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> errors("timeout") + errors("other") >= 1);
            assertThat(errors("reply")).isEqualTo(1);
        }
    }

    private long completions(String command) {
        Timer timer = registry.find("lettuce.command.completion").tag("command", command).timer();
        return timer == null ? 0 : timer.count();
    }

    private double errors(String reason) {
        return registry.get(RedisMeters.ERRORS).tag("reason", reason).counter().count();
    }
}
