package io.herald.api;

import com.linecorp.armeria.server.Server;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops an Armeria server and returns once it no longer listens and holds no connection, after its graceful
 * shutdown (in-flight requests finish first: Armeria closes the port only then).
 *
 * <p>Armeria's own {@link Server#stop()} future completes later: after its acceptor ("boss") event loop has been
 * idle for Netty's default quiet period of 2 s, which Armeria 1.33 has no setting for. Nothing of ours runs on that
 * loop and its port is closed by then, so waiting for it only made every stop 2 s longer (every node stop, every
 * test that starts a server). The loop still ends by itself 2 s later; a JVM that exits meanwhile waits for it, as
 * it waited before. Our own Netty groups stop with a quiet period of 0 for the same reason.
 */
final class ArmeriaStop {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private ArmeriaStop() {
    }

    /**
     * Stops the server: returns once its ports are closed and its connections gone, or once Armeria's stop has
     * completed, whichever comes first; a stop that fails throws.
     *
     * @param bound the longest wait for the port and connections, beyond which Armeria's whole stop is awaited
     */
    static void stop(Server server, Duration bound) {
        CompletableFuture<Void> stopped = server.stop();
        long deadline = System.nanoTime() + bound.toNanos();
        // Armeria empties activePorts() right after closing its listening sockets, which it does only after the
        // graceful shutdown; then it closes the connections.
        while (!stopped.isDone() && System.nanoTime() < deadline) {
            if (server.activePorts().isEmpty() && server.numConnections() == 0) {
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        stopped.join();
    }
}
