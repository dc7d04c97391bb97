package io.herald.api;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health} and {@code /metrics} alone, for the roles that serve no device or push API (a cluster gateway,
 * the archiver), so load balancers, orchestration and Prometheus see every node the same way.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final long MAX_REQUEST_BYTES = 8 * 1024;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final String bindAddress;
    private final int requestedPort;
    private final Server server;

    public OpsHttpServer(String bindAddress, int port, ApiDependencies.Ops ops) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.requestedPort = port;
        ServerBuilder sb = Server.builder()
                .port(new InetSocketAddress(bindAddress, port), SessionProtocol.HTTP)
                .maxRequestLength(MAX_REQUEST_BYTES)
                .gracefulShutdownTimeout(Duration.ZERO, SHUTDOWN_TIMEOUT)
                .errorHandler(new JsonErrorHandler());
        HttpServerMeters.bind(sb, ops.meterRegistry());
        new OpsRoutes(ops).bind(sb);
        this.server = sb.build();
    }

    /** Binds and serves; returns the bound port. */
    public int start() {
        try {
            server.start().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("ops HTTP cannot listen on " + bindAddress + ":" + requestedPort + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        int port = server.activeLocalPort();
        log.info("health and metrics on http://{}:{}/health and /metrics", bindAddress, port);
        return port;
    }

    @Override
    public void close() {
        ArmeriaStop.stop(server, SHUTDOWN_TIMEOUT);
    }
}
