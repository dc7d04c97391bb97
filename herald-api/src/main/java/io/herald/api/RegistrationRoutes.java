package io.herald.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.herald.core.device.DeviceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/devices}: a device registers its id and secret. Repeating a registration is harmless. */
final class RegistrationRoutes {
    private static final Logger log = LoggerFactory.getLogger(RegistrationRoutes.class);

    record RegistrationResponse(String clientId, boolean registered) {
    }

    private final DeviceService devices;
    private final ApiMetrics metrics;

    RegistrationRoutes(DeviceService devices, ApiMetrics metrics) {
        this.devices = devices;
        this.metrics = metrics;
    }

    /** @param authorizer required for closed registration, null when anyone may register */
    void bind(ServerBuilder sb, ApiKeyAuthorizer authorizer) {
        HttpService service = BlockingRoute.of(this::register);
        sb.route().post("/api/v1/devices").build(authorizer == null ? service : service.decorate(authorizer));
    }

    private HttpResponse register(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Credentials credentials = Credentials.parse(JsonRequest.parse(request, Credentials.FIELDS));
        return LogScope.withClientId(credentials.clientId(), () -> register(credentials));
    }

    private HttpResponse register(Credentials credentials) {
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
                throw new ApiException(HttpStatus.CONFLICT, ErrorCodes.CLIENT_ID_TAKEN,
                        "clientId " + credentials.clientId() + " is already registered with another secret");
            }
        };
    }
}
