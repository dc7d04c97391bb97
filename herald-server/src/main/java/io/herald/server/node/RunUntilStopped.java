package io.herald.server.node;

import java.util.concurrent.CountDownLatch;

/** Keeps a started node running until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes it. */
public final class RunUntilStopped {
    private RunUntilStopped() {
    }

    public static void await(AutoCloseable node) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "herald-shutdown"));
        stopped.await();
    }
}
