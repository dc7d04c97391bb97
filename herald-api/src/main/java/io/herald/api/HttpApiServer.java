package io.herald.api;

import io.herald.core.limit.AttemptLimit;
import io.herald.core.limit.AttemptLimiter;
import io.herald.core.limit.LoginThrottle;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.herald.core.tls.TlsKeyMaterial;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of a Herald node on Armeria: device registration and login (open to the configured web origins, see
 * {@link DeviceCors}), push, per-device admin, health and metrics, their OpenAPI description, and the management
 * console under {@code /console/}. This class only assembles the server; each group of endpoints lives in
 * its own routes class.
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
    private final ConsoleStats consoleStats;

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
        this.consoleStats = new ConsoleStats(dependencies.ops().meterRegistry(), dependencies.console().gateways(),
                dependencies.clock());
        ServerBuilder sb = Server.builder();
        ApiTls.listen(sb, new InetSocketAddress(settings.bindAddress(), settings.port()), tls);
        sb.maxRequestLength(settings.maxRequestBytes())
                .requestTimeout(requestTimeout)
                .gracefulShutdownTimeout(SHUTDOWN_QUIET_PERIOD, SHUTDOWN_TIMEOUT)
                .errorHandler(new JsonErrorHandler());

        HttpServerMeters.bind(sb, dependencies.ops().meterRegistry());
        ConsoleSessions consoleSessions = new ConsoleSessions(dependencies.clock());
        ConsoleCookie consoleCookie = new ConsoleCookie(https);
        AdminAuthorizer apiKey = new AdminAuthorizer(settings.apiKey(), consoleSessions, consoleCookie);
        ApiMetrics metrics = new ApiMetrics(dependencies.ops().meterRegistry());
        ApiDependencies.Devices devices = dependencies.devices();
        ClientAddresses sources = new ClientAddresses(settings.limits().trustedProxies());
        // Closed registration is for operators, who hold the API key: their provisioning is not held back.
        AttemptLimiter registrations = new AttemptLimiter(settings.openRegistration()
                ? settings.limits().registrationsPerAddress() : AttemptLimit.OFF, dependencies.clock());
        LoginThrottle secrets = new LoginThrottle(settings.limits().loginFailuresPerClient(),
                settings.limits().loginFailuresPerAddress(), dependencies.clock());
        LoginThrottle registrationSecrets = settings.openRegistration() ? secrets
                : new LoginThrottle(AttemptLimit.OFF, AttemptLimit.OFF, dependencies.clock());
        new RegistrationRoutes(devices.deviceService(), metrics, registrations, registrationSecrets, sources)
                .bind(sb, settings.openRegistration() ? null : apiKey, settings.corsOrigins());
        new LoginRoutes(devices.deviceService(), devices.gateways(), metrics, secrets, sources)
                .bind(sb, settings.corsOrigins());
        new DeviceAdminRoutes(devices, dependencies.clock()).bind(sb, apiKey);
        new DeviceListRoutes(devices).bind(sb, apiKey);
        PushSender pushSender = new PushSender(dependencies.push(), metrics, dependencies.clock());
        PushRequestParser pushParser = new PushRequestParser(settings);
        IdempotentPushes idempotent = new IdempotentPushes(dependencies.push().idempotencyKeys(),
                settings.idempotencyWindow(), dependencies.clock());
        TaggedTargets tagged = new TaggedTargets(devices.tags());
        new PushRoutes(pushSender, pushParser, metrics, idempotent, tagged).bind(sb, apiKey);
        new BatchPushRoutes(pushSender, pushParser, metrics, idempotent, tagged).bind(sb, apiKey);
        new DeviceTagRoutes(devices.tags()).bind(sb, apiKey);
        new MessageStatusRoutes(dependencies.push().messageStatuses()).bind(sb, apiKey);
        new OpsRoutes(dependencies.ops()).bind(sb);
        new OpenApiRoutes().bind(sb);
        bindConsole(sb, dependencies, consoleSessions, consoleCookie, apiKey, sources);
        this.server = sb.build();
    }

    /** The console: its page, its sign-in and session, and its overview (whose samples start with the server). */
    private void bindConsole(ServerBuilder sb, ApiDependencies dependencies, ConsoleSessions sessions,
                             ConsoleCookie cookie, AdminAuthorizer authorizer, ClientAddresses sources) {
        ApiDependencies.Console console = dependencies.console();
        new ConsoleAssets().bind(sb);
        // Wrong API keys count per address like failed device logins (the same limit, a counter of their own).
        new ConsoleSessionRoutes(sessions, cookie, authorizer,
                new AttemptLimiter(settings.limits().loginFailuresPerAddress(), dependencies.clock()), sources,
                console).bind(sb);
        new ConsoleOverviewRoutes(console, dependencies.ops(), consoleStats, settings.bindAddress(),
                () -> server.activeLocalPort()).bind(sb, authorizer);
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
        consoleStats.start();
        log.info("{} API listening on {}:{} (open registration: {}; device endpoints open to origins: {})",
                https ? "HTTPS" : "HTTP", settings.bindAddress(), port, settings.openRegistration(),
                settings.corsOrigins().isEmpty() ? "none" : String.join(", ", settings.corsOrigins()));
        return port;
    }

    /** The bound port; only after {@link #start()}. */
    public int port() {
        return server.activeLocalPort();
    }

    /** The bound routes, for the test that holds the OpenAPI description to them. */
    Set<Route> routes() {
        Set<Route> routes = new LinkedHashSet<>();
        server.config().serviceConfigs().forEach(config -> routes.add(config.route()));
        return routes;
    }

    /** Stops accepting connections and waits for in-flight requests (bounded), then releases the port. */
    @Override
    public void close() {
        consoleStats.close();
        ArmeriaStop.stop(server, SHUTDOWN_TIMEOUT.plus(SHUTDOWN_QUIET_PERIOD));
        log.info("HTTP API stopped");
    }
}
