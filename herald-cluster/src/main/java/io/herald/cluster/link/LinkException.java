package io.herald.cluster.link;

import io.herald.core.ServiceUnavailableException;

/** A request over an internal link failed; the message names the gateway. Subclasses say how. */
public abstract class LinkException extends ServiceUnavailableException {
    private final String gatewayId;

    protected LinkException(String gatewayId, String message, Throwable cause) {
        super(message, cause);
        this.gatewayId = gatewayId;
    }

    /** The gateway the link leads to. */
    public String gatewayId() {
        return gatewayId;
    }
}
