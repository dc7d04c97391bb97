package io.herald.client.internal;

import io.herald.client.HeraldException;

/** Login assigned a gateway that has no listener for the configured transport. */
public final class NoUsableGatewayException extends HeraldException {
    public NoUsableGatewayException(String message) {
        super(message);
    }
}
