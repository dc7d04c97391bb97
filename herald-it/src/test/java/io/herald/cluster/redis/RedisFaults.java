package io.herald.cluster.redis;

import java.io.IOException;

/** herald-it's handle on the package-private crash and restart of {@link RedisServerProcess}. */
public final class RedisFaults {
    private RedisFaults() {
    }

    /** SIGKILL: like a crash; nothing was saved, so the next start is empty. */
    public static void kill(RedisServerProcess redis) {
        redis.kill();
    }

    /** Starts the killed server again, empty, on the same port; returns once it answers PING. */
    public static void start(RedisServerProcess redis) throws IOException {
        redis.launch();
    }
}
