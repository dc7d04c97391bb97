package io.herald.server.node;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Liveness of Netty event loops: each runs an empty task within the limit. A loop stuck in a blocking call or a
 * busy loop fails it, and such a process needs a restart: devices on that loop are neither served nor let go.
 */
public final class EventLoopProbe {
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(2);

    private EventLoopProbe() {
    }

    public static boolean responds(EventExecutorGroup group, Duration limit) {
        if (group.isShuttingDown()) {
            return false;
        }
        List<Future<?>> probes = new ArrayList<>();
        for (EventExecutor loop : group) {
            probes.add(loop.submit(() -> { }));
        }
        long deadline = System.nanoTime() + limit.toNanos();
        for (Future<?> probe : probes) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !probe.awaitUninterruptibly(left / 1_000_000 + 1) || !probe.isSuccess()) {
                return false;
            }
        }
        return true;
    }
}
