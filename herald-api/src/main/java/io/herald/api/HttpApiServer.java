package io.herald.api;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.herald.core.tls.TlsKeyMaterial;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of a Herald node on Armeria: device registration and login, push, per-device admin, health and
 * metrics. This class only assembles the server; each group of endpoints lives in its own routes class.
 *
 * <pre>{@code
 * try (HttpApiServer api = new HttpApiServer(settings, dependencies)) {
 *     int port = api.start();
 *     ...
 * }
 * }</pre>
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);
    /** Long enough for a 100,000-id push against a slow store; a stuck request still ends. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** On close: stop accepting, let in-flight requests finish (quiet period), but never wait longer than this. */
    static final Duration SHUTDOWN_QUIET_PERIOD = Duration.ofMillis(200);
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final ApiSettings settings;
    private final Server server;
    private final boolean https;

    public HttpApiServer(ApiSettings settings, ApiDependencies dependencies) {
        this(settings, dependencies, null);
    }

    /** @param tls the key and certificate to serve HTTPS with, or null for plain HTTP */
    public HttpApiServer(ApiSettings settings, ApiDependencies dependencies, TlsKeyMaterial tls) {
        this(settings, dependencies, tls, REQUEST_TIMEOUT);
    }

    /** With another request timeout: for tests, which cannot wait 30 s for one. */
    HttpApiServer(ApiSettings settings, ApiDependencies dependencies, TlsKeyMaterial tls, Duration requestTimeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dependencies, "dependencies");
        this.https = tls != null;
        ServerBuilder sb = Server.builder();
        ApiTls.listen(sb, new InetSocketAddress(settings.bindAddress(), settings.port()), tls);
        sb.maxRequestLength(settings.maxRequestBytes())
                .requestTimeout(requestTimeout)
                .gracefulShutdownTimeout(SHUTDOWN_QUIET_PERIOD, SHUTDOWN_TIMEOUT)
                .errorHandler(new JsonErrorHandler());

        ApiKeyAuthorizer apiKey = new ApiKeyAuthorizer(settings.apiKey());
        ApiMetrics metrics = new ApiMetrics(dependencies.ops().meterRegistry());
        ApiDependencies.Devices devices = dependencies.devices();
        ClientAddresses sources = new ClientAddresses(settings.limits().trustedProxies());
        // Closed registration is for operators, who hold the API key: their provisioning is not held back.
        AttemptLimiter registrations = new AttemptLimiter(settings.openRegistration()
                ? settings.limits().registrationsPerAddress() : AttemptLimit.OFF, dependencies.clock());
        LoginThrottle secrets = new LoginThrottle(settings.limits(), dependencies.clock());
        new RegistrationRoutes(devices.deviceService(), metrics, registrations,
                settings.openRegistration() ? secrets : new LoginThrottle(ApiLimits.OFF, dependencies.clock()),
                sources).bind(sb, settings.openRegistration() ? null : apiKey);
        new LoginRoutes(devices.deviceService(), devices.gateways(), metrics, secrets, sources).bind(sb);
        new DeviceAdminRoutes(devices, dependencies.clock()).bind(sb, apiKey);
        new DeviceListRoutes(devices).bind(sb, apiKey);
        PushSender pushSender = new PushSender(dependencies.push(), metrics, dependencies.clock());
        PushRequestParser pushParser = new PushRequestParser(settings);
        new PushRoutes(pushSender, pushParser, metrics).bind(sb, apiKey);
        new BatchPushRoutes(pushSender, pushParser, metrics).bind(sb, apiKey);
        new OpsRoutes(dependencies.ops()).bind(sb);
        this.server = sb.build();
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound port (the chosen one when the settings say 0)
     * @throws IllegalStateException when the address cannot be bound
     */
    public int start() {
        try {
            server.start().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("HTTP API cannot listen on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + e.getCause().getMessage(), e.getCause());
        }
        int port = server.activeLocalPort();
        log.info("{} API listening on {}:{} (open registration: {})", https ? "HTTPS" : "HTTP",
                settings.bindAddress(), port, settings.openRegistration());
        return port;
    }

    /** The bound port; only after {@link #start()}. */
    public int port() {
        return server.activeLocalPort();
    }

    /** Stops accepting connections and waits for in-flight requests (bounded), then releases the port. */
    @Override
    public void close() {
        server.stop().join();
        log.info("HTTP API stopped");
    }
}
