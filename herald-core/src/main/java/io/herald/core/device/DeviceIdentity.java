package io.herald.core.device;

import java.util.Objects;

/**
 * One registration of a client id: the id plus the generation it got when it was registered. Tokens and sessions
 * are bound to a registration, not just to the id, so that deleting a device and registering the id again (perhaps
 * by another owner) never lets anything of the old registration act for the new one.
 */
public record DeviceIdentity(String clientId, long generation) {
    public DeviceIdentity {
        Objects.requireNonNull(clientId, "clientId");
    }
}
