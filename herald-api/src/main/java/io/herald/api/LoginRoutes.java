package io.herald.api;

import io.herald.core.limit.LoginThrottle;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.device.DeviceService;
import io.herald.core.gateway.GatewayAddress;
import io.herald.core.gateway.GatewayLocator;
import io.herald.core.security.Token;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/login}: a device trades its secret for a token and learns which gateway to connect to. */
final class LoginRoutes {
    private static final Logger log = LoggerFactory.getLogger(LoginRoutes.class);

    /**
     * @param fallbackGateways where the device may go with the same token when {@code gateway} cannot be reached,
     *                         best first (cluster: up to {@link #FALLBACK_GATEWAYS}; standalone: none)
     */
    record LoginResponse(String token, String expiresAt, GatewayJson gateway, List<GatewayJson> fallbackGateways) {
        @Override
        public String toString() {
            return "LoginResponse[expiresAt=" + expiresAt + ", gateway=" + gateway + ", fallbackGateways="
                    + fallbackGateways + "]";
        }
    }

    /**
     * Two: one live alternative is what a device needs when its gateway goes away, the second covers a gateway
     * killed while another is being restarted (a rolling upgrade). More would only lengthen every login answer.
     */
    static final int FALLBACK_GATEWAYS = 2;

    /**
     * {@code wsUrl} is null (kept in the JSON) when the gateway has no WebSocket listener; {@code tls} says that TCP
     * needs TLS too (the URL already says {@code wss://}). Clients that predate it ignore the extra field.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record GatewayJson(String host, int tcpPort, String wsUrl, boolean tls) {
        static GatewayJson of(GatewayAddress address) {
            return new GatewayJson(address.host(), address.tcpPort(), address.wsUrl(), address.tls());
        }
    }

    private final DeviceService devices;
    private final GatewayLocator gateways;
    private final ApiMetrics metrics;
    private final LoginThrottle throttle;
    private final ClientAddresses sources;

    LoginRoutes(DeviceService devices, GatewayLocator gateways, ApiMetrics metrics, LoginThrottle throttle,
                ClientAddresses sources) {
        this.devices = devices;
        this.gateways = gateways;
        this.metrics = metrics;
        this.throttle = throttle;
        this.sources = sources;
    }

    /** @param corsOrigins the web origins allowed to call it from a browser (none: empty) */
    void bind(ServerBuilder sb, List<String> corsOrigins) {
        sb.route().post("/api/v1/login").maxRequestLength(ApiSettings.CREDENTIALS_MAX_REQUEST_BYTES)
                .build(DeviceCors.decorate(BlockingRoute.of(this::login), corsOrigins));
    }

    private HttpResponse login(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Credentials credentials = Credentials.parse(JsonRequest.parse(request, Credentials.FIELDS));
        String requestHost = RequestHosts.of(ctx);
        InetAddress source = sources.of(ctx);
        return LogScope.withClientId(credentials.clientId(), () -> login(credentials, requestHost, source));
    }

    private HttpResponse login(Credentials credentials, String requestHost, InetAddress source) {
        Duration wait = throttle.blockedFor(credentials.clientId(), source);
        if (wait != null) {
            metrics.loginLimited();
            log.info("login refused: too many failed logins for this client id or from {}", source.getHostAddress());
            return JsonErrors.tooManyRequests(wait, "too many failed logins");
        }
        // The gateway first: while none is available every device retries its login, and issuing a token per
        // attempt that nobody can use would only fill the token store.
        Optional<GatewayAddress> gateway = gateways.locate(credentials.clientId(), requestHost);
        if (gateway.isEmpty()) {
            log.warn("login refused: no gateway is available");
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.NO_GATEWAY,
                    "no gateway is available; retry later");
        }
        Optional<Token> token = devices.login(credentials.clientId(), credentials.secret());
        metrics.login(token.isPresent());
        if (token.isEmpty()) {
            log.info("login failed");
            throttle.failed(credentials.clientId(), source);
            // One answer for an unknown id and a wrong secret, so the API does not reveal which ids exist.
            throw new ApiException(HttpStatus.UNAUTHORIZED, ErrorCodes.INVALID_CREDENTIALS,
                    "unknown clientId or wrong secret");
        }
        GatewayAddress address = gateway.get();
        log.debug("logged in; gateway {}:{}", address.host(), address.tcpPort());
        List<GatewayJson> fallbacks = gateways.fallbacks(credentials.clientId(), address, FALLBACK_GATEWAYS).stream()
                .map(GatewayJson::of).toList();
        return Json.response(HttpStatus.OK, new LoginResponse(token.get().value(),
                token.get().expiresAt().toString(), GatewayJson.of(address), fallbacks));
    }
}
