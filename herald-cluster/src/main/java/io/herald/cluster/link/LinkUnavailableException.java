package io.herald.cluster.link;

/**
 * The link has no authenticated connection: the gateway cannot be reached, the connection dropped, or the link was
 * closed. Requests fail with it at once while the link waits to reconnect, rather than queueing up behind a dead
 * gateway.
 */
public class LinkUnavailableException extends LinkException {
    public LinkUnavailableException(String gatewayId, String message, Throwable cause) {
        super(gatewayId, message, cause);
    }

    public LinkUnavailableException(String gatewayId, String message) {
        this(gatewayId, message, null);
    }
}
