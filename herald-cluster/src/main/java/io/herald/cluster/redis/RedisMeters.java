package io.herald.cluster.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Redis client figures through Lettuce's own hooks: its {@link MicrometerCommandLatencyRecorder} times every command
 * ({@code lettuce_command_completion_seconds} and {@code lettuce_command_firstresponse_seconds}, by command), and a
 * {@link CommandListener} counts the commands that failed ({@value #ERRORS}, by reason).
 */
final class RedisMeters implements CommandListener {
    static final String ERRORS = "herald.redis.command.errors";
    private static final String ERRORS_HELP = "Redis commands that failed: timeout (no answer within the command"
            + " timeout, Redis down included), reply (Redis answered with an error), other (connection closed, ...)";

    private final Counter timeouts;
    private final Counter replies;
    private final Counter others;

    RedisMeters(MeterRegistry registry) {
        timeouts = errorCounter(registry, "timeout");
        replies = errorCounter(registry, "reply");
        others = errorCounter(registry, "other");
    }

    private static Counter errorCounter(MeterRegistry registry, String reason) {
        return Counter.builder(ERRORS).tag("reason", reason).description(ERRORS_HELP).register(registry);
    }

    /**
     * Times commands per command type, with no client-side percentiles: the node's registry decides the buckets (a
     * histogram, so the p99 of several nodes can be computed).
     */
    static CommandLatencyRecorder latencyRecorder(MeterRegistry registry) {
        return new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.builder()
                .histogram(false)
                .targetPercentiles(new double[0])
                .build());
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        Throwable cause = event.getCause();
        if (cause instanceof RedisNoScriptException) {
            return; // EVALSHA of a script Redis has not cached yet: LuaScript sends it with EVAL, as designed
        }
        if (cause instanceof RedisCommandTimeoutException) {
            timeouts.increment();
        } else if (cause instanceof RedisCommandExecutionException) {
            replies.increment();
        } else {
            others.increment();
        }
    }
}
