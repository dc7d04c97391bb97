package io.herald.api;

import io.herald.core.device.ClientIds;
import io.herald.core.device.DeviceService;
import java.util.Set;

/**
 * The {@code {"clientId","secret"}} body of registration and login. Login validates the same way as
 * registration: the rules are public, and bounding the secret's length bounds the hashing work a caller causes.
 */
record Credentials(String clientId, String secret) {
    static final Set<String> FIELDS = Set.of("clientId", "secret");

    static Credentials parse(JsonRequest body) {
        String clientId = body.optionalString("clientId");
        String idProblem = ClientIds.problem(clientId);
        if (idProblem != null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_CLIENT_ID, idProblem);
        }
        String secret = body.optionalString("secret");
        String secretProblem = DeviceService.secretProblem(secret);
        if (secretProblem != null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_SECRET, secretProblem);
        }
        return new Credentials(clientId, secret);
    }

    @Override
    public String toString() {
        return "Credentials[clientId=" + clientId + "]";
    }
}
