package io.herald.server.node;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a started node running until the JVM is asked to stop (SIGTERM, Ctrl-C), then stops it within a deadline:
 * a stop that hangs (a database that does not answer while messages are stored) must not keep the process, and
 * its ports, alive for ever, so past the deadline the JVM halts.
 */
public final class RunUntilStopped {
    /** What stops the node; may throw. */
    @FunctionalInterface
    public interface Stop {
        void run() throws Exception;
    }

    private RunUntilStopped() {
    }

    public static void await(AutoCloseable node) throws InterruptedException {
        await(node::close, Duration.ofMinutes(1));
    }

    public static void await(Stop stop, Duration deadline) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(deadline.toMillis());
                    System.err.println("herald: stopping took longer than " + deadline + "; halting");
                    Runtime.getRuntime().halt(1);
                } catch (InterruptedException e) {
                    // stopped in time
                }
            }, "herald-shutdown-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                stop.run();
            } catch (Exception e) {
                System.err.println("stopping failed: " + e);
            } finally {
                watchdog.interrupt();
                stopped.countDown();
            }
        }, "herald-shutdown"));
        stopped.await();
    }
}
