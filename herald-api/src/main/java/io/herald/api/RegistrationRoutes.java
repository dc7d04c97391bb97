package io.herald.api;

import io.herald.core.limit.AttemptLimiter;
import io.herald.core.limit.LoginThrottle;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.device.DeviceService;
import io.herald.core.net.AddressBlocks;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/devices}: a device registers its id and secret. Repeating a registration is harmless. The
 * answer for a taken id tells whether the secret matched (200 or 409), so while registration is open a 409 counts
 * as a failed secret in the {@link LoginThrottle}: registration is no way around the login limits.
 */
final class RegistrationRoutes {
    private static final Logger log = LoggerFactory.getLogger(RegistrationRoutes.class);

    record RegistrationResponse(String clientId, boolean registered) {
    }

    private final DeviceService devices;
    private final ApiMetrics metrics;
    /** Attempts per source address; counts every attempt, as each one may hash a secret and add a row. */
    private final AttemptLimiter perAddress;
    /** Shared with login: wrong secrets per client id and source; off for closed registration (API key holders). */
    private final LoginThrottle secrets;
    private final ClientAddresses sources;

    RegistrationRoutes(DeviceService devices, ApiMetrics metrics, AttemptLimiter perAddress, LoginThrottle secrets,
                       ClientAddresses sources) {
        this.devices = devices;
        this.metrics = metrics;
        this.perAddress = perAddress;
        this.secrets = secrets;
        this.sources = sources;
    }

    /**
     * @param authorizer  required for closed registration, null when anyone may register
     * @param corsOrigins the web origins allowed to call it from a browser (none: empty); outermost, so that a
     *                    preflight (which carries no credentials) is answered before the API key is asked for
     */
    void bind(ServerBuilder sb, AdminAuthorizer authorizer, List<String> corsOrigins) {
        HttpService service = BlockingRoute.of(this::register);
        sb.route().post("/api/v1/devices").maxRequestLength(ApiSettings.CREDENTIALS_MAX_REQUEST_BYTES)
                .build(DeviceCors.decorate(authorizer == null ? service : service.decorate(authorizer), corsOrigins));
    }

    private HttpResponse register(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        InetAddress source = sources.of(ctx);
        Duration wait = perAddress.tryAcquire(AddressBlocks.key(source));
        if (wait != null) {
            metrics.registrationLimited();
            log.info("registration refused: too many attempts from {}", source.getHostAddress());
            return JsonErrors.tooManyRequests(wait, "too many registrations from this address");
        }
        Credentials credentials = Credentials.parse(JsonRequest.parse(request, Credentials.FIELDS));
        return LogScope.withClientId(credentials.clientId(), () -> register(credentials, source));
    }

    private HttpResponse register(Credentials credentials, InetAddress source) {
        Duration wait = secrets.blockedFor(credentials.clientId(), source);
        if (wait != null) {
            metrics.registrationLimited();
            log.info("registration refused: too many wrong secrets for this client id or from {}",
                    source.getHostAddress());
            return JsonErrors.tooManyRequests(wait, "too many failed logins");
        }
        DeviceService.Registration outcome = devices.register(credentials.clientId(), credentials.secret());
        metrics.registration(outcome);
        RegistrationResponse body = new RegistrationResponse(credentials.clientId(), true);
        return switch (outcome) {
            case CREATED -> {
                log.info("device registered");
                yield Json.response(HttpStatus.CREATED, body);
            }
            case ALREADY_REGISTERED -> Json.response(HttpStatus.OK, body);
            case CONFLICT -> {
                log.info("registration refused: the id is registered with another secret");
                secrets.failed(credentials.clientId(), source);
                throw new ApiException(HttpStatus.CONFLICT, ErrorCodes.CLIENT_ID_TAKEN,
                        "clientId is already registered with another secret");
            }
        };
    }
}
