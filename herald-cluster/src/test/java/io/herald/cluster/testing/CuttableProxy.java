package io.herald.cluster.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards connections from a loopback port of its own to a target port. {@link #cut()} closes every forwarded
 * connection and, until {@link #restore()}, closes each new one at once: to the clients behind it, the target is
 * unreachable. The listening port stays the same throughout, so clients need no new address. {@link #close()}
 * cuts for good: to a server, a client behind it looks like a crashed or partitioned process.
 */
public final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    public CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept-" + listener.getLocalPort(), this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void cut() {
        cut = true;
        sockets.forEach(CuttableProxy::closeQuietly);
        sockets.clear();
    }

    /** {@code host:port} of the proxy, e.g. as a ZooKeeper connect string. */
    public String connectString() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
    }

    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket inbound = listener.accept();
                if (cut) {
                    closeQuietly(inbound);
                    continue;
                }
                Socket outbound = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(inbound);
                sockets.add(outbound);
                daemon("proxy-up", () -> pump(inbound, outbound));
                daemon("proxy-down", () -> pump(outbound, inbound));
            } catch (IOException e) {
                // listener closed, or the target refused: the client sees a failed connection
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        cut();
    }
}
