package io.herald.cluster.link;

import io.herald.cluster.discovery.GatewayNode;
import io.herald.cluster.link.server.LinkServer;
import java.time.Instant;

/**
 * A gateway as far as the link goes, for tests: a {@link LinkServer} on a free loopback port over a
 * {@link RecordingEndpoint}, and the {@link GatewayNode} ZooKeeper would announce for it.
 */
public final class TestGateway implements AutoCloseable {
    public static final String HOST = "127.0.0.1";

    private final String id;
    private final LinkSettings settings;
    private final RecordingEndpoint endpoint;
    private final Instant startedAt = Instant.now();
    private LinkServer server;
    private int port;

    private TestGateway(String id, LinkSettings settings) {
        this.id = id;
        this.settings = settings;
        this.endpoint = new RecordingEndpoint(id);
    }

    public static TestGateway start(String id, LinkSettings settings) throws InterruptedException {
        TestGateway gateway = new TestGateway(id, settings);
        gateway.server = LinkServer.start(id, HOST, 0, settings, gateway.endpoint);
        gateway.port = gateway.server.port();
        return gateway;
    }

    public RecordingEndpoint endpoint() {
        return endpoint;
    }

    public int port() {
        return port;
    }

    /** The node as registered in ZooKeeper; {@code connections} as it would publish them. */
    public GatewayNode node(int connections) {
        return new GatewayNode(id, HOST, 7000, GatewayNode.NO_WEBSOCKET, null, port, 1, connections, startedAt);
    }

    public GatewayNode node() {
        return node(0);
    }

    /** Stops listening and drops every link. */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Listens again on the same port, as a gateway process that came back would. */
    public void restart() throws InterruptedException {
        stop();
        server = LinkServer.start(id, HOST, port, settings, endpoint);
    }

    @Override
    public void close() {
        stop();
    }
}
